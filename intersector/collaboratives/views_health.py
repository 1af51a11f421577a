"""The health check's pages: the waves, answering one, and a closed wave's results.

Everyone who sees the collaborative sees its waves and the results of closed ones (aggregates
only); every current member answers an open wave (observers too: they see the collaboration);
convenors open and close waves. A person's own answers are shown to them alone.
"""

from functools import lru_cache

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from intersector.collaboratives import access, health
from intersector.collaboratives.views import _collaborative
from intersector.refusals import Refused


def _wave(collaborative, number):
    wave = collaborative.health_waves.filter(number=number).first()
    if wave is None:
        raise Refused(_("We could not find that health check."), status=404)
    return wave


@never_cache
def health_home(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    waves = list(collaborative.health_waves.annotate(answer_count=Count("responses")))  # one query, any number of waves
    current = next((w for w in waves if w.is_open), None)
    mine = current.responses.filter(member=member).exists() if current and member else False
    return render(request, "collaboratives/health.html", {
        "collaborative": collaborative, "member": member, "waves": waves, "current": current, "mine": mine,
        "manage": access.can(member, "manage"), "factor_count": len(health.factors()),
        "category_count": len(health.categories())})


@require_POST
def health_open(request, slug):
    collaborative = _collaborative(slug)
    convenor = access.check(request.user, collaborative, "manage")
    wave = health.open_wave(collaborative, convenor)
    messages.success(request, _("Health check %(n)s is open. Every partner and convenor can answer it now.")
                     % {"n": wave.number})
    return redirect("collaboratives:health", collaborative.slug)


@require_POST
def health_close(request, slug, number):
    collaborative = _collaborative(slug)
    access.check(request.user, collaborative, "manage")
    wave = health.close_wave(_wave(collaborative, number))
    messages.success(request, _("Health check %(n)s is closed. Its results are below.") % {"n": wave.number})
    return redirect("collaboratives:health_results", collaborative.slug, wave.number)


@never_cache
@require_http_methods(["GET", "POST"])
def health_answer(request, slug, number):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    wave = _wave(collaborative, number)
    problem, status = None, 200
    if request.method == "POST":
        try:
            values = health.read_answers(request.POST)
            health.answer(wave, member, values)
        except Refused as refusal:
            problem, status = refusal.message, refusal.status
        else:
            messages.success(request, _("Thank you: your answers are saved. You can change them until the "
                                        "convenor closes this health check."))
            return redirect("collaboratives:health", collaborative.slug)
    own = wave.responses.filter(member=member).first() if member else None
    chosen = {f.key: str(v) for f, v in ((f, (own.values if own else {}).get(f.key)) for f in health.factors())
              if v is not None}
    if problem:  # show what they chose, not what was saved before, so nothing is lost
        chosen = {f.key: (request.POST.get(f"factor-{f.key}") or "").strip() for f in health.factors()}
    return render(request, "collaboratives/health_answer.html", {
        "collaborative": collaborative, "member": member, "wave": wave, "categories": [(c, [(f, chosen.get(f.key, "")) for f in c.factors]) for c in health.categories()], "answered": own is not None, "problem": problem, "scale": _scale()}, status=status)


@lru_cache(maxsize=64)
def _closed_results(wave_pk, closed, answers, language):
    """A closed wave's results, scored once per process and language: its answers no longer change
    (scoring 1,040 answers took most of the page's 80 ms). The key holds when it closed and how
    many answered, so a wave closed again or another database's wave of the same number is scored
    anew. Read-only: pages only show it."""
    from intersector.collaboratives.models import HealthWave

    return health.results(HealthWave.objects.get(pk=wave_pk))


def _scale():
    return [("1", _("Strongly disagree")), ("2", _("Disagree")), ("3", _("Neither agree nor disagree")),
            ("4", _("Agree")), ("5", _("Strongly agree"))]


@never_cache
def health_results(request, slug, number):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    wave = _wave(collaborative, number)
    context = {"collaborative": collaborative, "member": member, "wave": wave,
               "manage": access.can(member, "manage"), "fewest": health.FEWEST}
    if not wave.is_open:
        context.update(_closed_results(wave.pk, wave.closed, wave.responses.count(), get_language()))
    else:
        context["count"] = wave.responses.count()
    return render(request, "collaboratives/health_results.html", context)
