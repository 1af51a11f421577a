"""Themes as a background job: embed the notes, cluster them, label each cluster."""

from django.urls import reverse
from django.utils.translation import gettext as _

from intersector.jobs.services import JobFailed, job_task
from intersector.jobs.services import start_job


class NoProgress:
    def update(self, **kwargs):
        pass


def _themes_follow_new_job(old_job, new_job):
    from intersector.workshops.activities.brainwriting import services

    services.themes_follow_new_job(old_job, new_job)


@job_task(on_retry=_themes_follow_new_job)
def make_themes(progress, *, item_id, count=None):
    from intersector.workshops.models import AgendaItem

    item = AgendaItem.objects.select_related("workshop").filter(pk=item_id).first()
    if item is None:
        raise JobFailed(_("This activity no longer exists."))
    return group_notes(item, progress, count)


def group_notes(item, progress=None, count=None):
    """Embed, cluster and label the notes not in a kept theme; replace the other themes.
    `count`: how many themes the facilitator asked for; None lets the silhouette choose."""
    from intersector import analysis
    from intersector.workshops.activities.brainwriting import services
    from intersector.workshops.activities.brainwriting.models import Note

    progress = progress or NoProgress()
    progress.update(total=4, done=0, message=_("Reading the notes"), force=True)
    # Notes already in a locked theme stay there; everything else is grouped again.
    notes = list(Note.objects.filter(item=item).exclude(theme__locked=True).values_list("pk", "text"))
    if len(notes) < 2:
        services.apply_themes(item, [(_("All notes"), [pk for pk, _text in notes])] if notes else [])
        return {"summary": _("There were too few new notes to group.")}
    texts = [text for _pk, text in notes]
    progress.update(done=1, message=_("Reading the meaning of %(n)s notes") % {"n": len(texts)})
    vectors, info = analysis.vectorize(texts)
    progress.update(done=2, message=_("Grouping similar notes"))
    upper = max(2, min(12, len(texts) - 1))
    if count:
        result = analysis.cluster_texts(texts, k=min(count, len(texts)), vectors=vectors)
    else:
        result = analysis.cluster_texts(texts, k_range=(2, upper), vectors=vectors)
    progress.update(done=3, message=_("Naming the themes"))
    names = analysis.label_clusters(texts, result.labels, n_words=3)
    groups = {}
    for (pk, _text), cluster in zip(notes, result.labels):
        groups.setdefault(cluster, []).append(pk)
    ordered = sorted(groups.items(), key=lambda pair: -len(pair[1]))
    services.apply_themes(item, [(names.get(cluster) or _("Theme %(n)s") % {"n": i + 1}, ids)
                                 for i, (cluster, ids) in enumerate(ordered)])
    progress.update(done=4, message=_("Done"))
    summary = _("%(n)s themes made from %(notes)s notes.") % {"n": len(groups), "notes": len(texts)}
    if getattr(info, "kind", "") == "tfidf":
        summary += " " + (getattr(info, "reason", "") or "")
    return {"summary": summary, "url": reverse("workshops:brainwriting:themes", args=[item.workshop_id, item.pk])}


def start_theming(item, user, count=None):
    return start_job(make_themes, label=_("Themes for “%(title)s”") % {"title": item.title},
                     owner=user, kind="workshops.themes", item_id=item.pk, count=count)
