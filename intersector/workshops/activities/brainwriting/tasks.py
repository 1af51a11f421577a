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
    `count`: how many themes the facilitator asked for; None lets the notes decide. Notes are
    grouped within their prompt and across the sectors they are about (analysis.make_themes)."""
    from intersector import analysis
    from intersector.workshops.activities.brainwriting import services
    from intersector.workshops.activities.brainwriting.models import Note

    progress = progress or NoProgress()
    progress.update(total=4, done=0, message=_("Reading the notes"), force=True)
    # Notes already in a locked theme stay there; everything else is grouped again.
    notes = list(Note.objects.filter(item=item).exclude(theme__locked=True)
                 .order_by("created", "pk").values_list("pk", "text", "prompt", "about"))
    if len(notes) < 2:
        services.apply_themes(item, [(_("All notes"), [pk for pk, *_rest in notes])] if notes else [])
        return {"summary": _("There were too few new notes to group.")}
    texts = [text for _pk, text, _prompt, _about in notes]
    progress.update(done=1, message=_("Reading the meaning of %(n)s notes") % {"n": len(texts)})
    vectors, info = analysis.vectorize(texts)
    progress.update(done=2, message=_("Grouping similar notes"))
    themes = analysis.make_themes(texts, prompts=[prompt for _pk, _t, prompt, _a in notes],
                                  sectors=[about for _pk, _t, _p, about in notes],
                                  k=min(count, len(texts)) if count else None, vectors=vectors, info=info)
    progress.update(done=3, message=_("Naming the themes"))
    groups = [[] for _ in range(themes.k)]
    for (pk, *_rest), theme in zip(notes, themes.labels):
        groups[theme].append(pk)
    # Theme 0 is the largest; its two most typical notes are listed first on the wall and phones.
    services.apply_themes(item, [(themes.names.get(c) or _("Theme %(n)s") % {"n": c + 1}, ids,
                                  [notes[i][0] for i in themes.typical.get(c, [])])
                                 for c, ids in enumerate(groups)])
    progress.update(done=4, message=_("Done"))
    summary = _("%(n)s themes made from %(notes)s notes.") % {"n": themes.k, "notes": len(texts)}
    if getattr(info, "kind", "") == "tfidf":
        summary += " " + (getattr(info, "reason", "") or "")
    return {"summary": summary, "url": reverse("workshops:brainwriting:themes", args=[item.workshop_id, item.pk])}


def start_theming(item, user, count=None):
    return start_job(make_themes, label=_("Themes for “%(title)s”") % {"title": item.title},
                     owner=user, kind="workshops.themes", item_id=item.pk, count=count)
