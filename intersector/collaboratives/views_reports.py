"""Progress reports' pages: choose one, see it, download it as PDF or Word; and the convenor's
mark on a decision, a health check, a commitment, a result, a shared indicator or a network survey
saying whether reports for funders and the public may show it. Everyone who sees the collaborative may build its reports (a report shows nothing they cannot
already read); reports.py decides what each audience reads."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from intersector.collaboratives import access, reports
from intersector.collaboratives.models import Decision, Visibility
from intersector.collaboratives.views import _collaborative, _int
from intersector.refusals import Refused


@never_cache
@require_safe
def index(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    decisions = collaborative.decisions.filter(status=Decision.Status.CLOSED)
    waves = collaborative.health_waves.filter(closed__isnull=False)
    surveys = collaborative.network_waves.filter(closed__isnull=False)
    return render(request, "collaboratives/reports/index.html", {
        "collaborative": collaborative, "member": member, "manage": access.can(member, "manage"),
        "audiences": reports.AUDIENCES.items(), "forms": reports.FORMS.items(),
        "closed_count": decisions.count(),
        "public_count": decisions.filter(visibility=Visibility.PUBLIC).count(),
        "public_waves": waves.filter(visibility=Visibility.PUBLIC).count(), "wave_count": waves.count(),
        "public_surveys": surveys.filter(visibility=Visibility.PUBLIC).count(), "survey_count": surveys.count()})


@never_cache
@require_safe
def preview(request, slug, audience, form):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    report = reports.build(collaborative, audience, form)
    return render(request, "collaboratives/reports/preview.html", {
        "collaborative": collaborative, "member": member, "report": report,
        "manage": access.can(member, "manage")})


@never_cache
@require_safe
def download(request, slug, audience, form, kind):
    collaborative = _collaborative(slug)
    access.check(request.user, collaborative, "see")
    if kind not in ("pdf", "docx"):
        raise Refused(_("Reports come as PDF or Word (docx)."), status=404)
    report = reports.build(collaborative, audience, form)
    if kind == "pdf":
        response = HttpResponse(reports.pdf(report), content_type="application/pdf")
    else:
        response = HttpResponse(reports.docx(report), content_type=reports.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.{kind}"'
    return response


@require_POST
def decision_visibility(request, slug, pk):
    collaborative = _collaborative(slug)
    access.check(request.user, collaborative, "manage")
    decision = collaborative.decisions.filter(pk=_int(pk)).first()
    if decision is None:
        raise Refused(_("We could not find that decision."), status=404)
    reports.set_visibility(decision, request.POST.get("visibility"))
    messages.success(request, _said(decision.visibility))
    return redirect(decision.get_absolute_url() + "#visibility")


@require_POST
def health_visibility(request, slug, number):
    collaborative = _collaborative(slug)
    access.check(request.user, collaborative, "manage")
    wave = collaborative.health_waves.filter(number=_int(number)).first()
    if wave is None:
        raise Refused(_("We could not find that health check."), status=404)
    reports.set_visibility(wave, request.POST.get("visibility"))
    messages.success(request, _said(wave.visibility))
    return redirect("collaboratives:health_results", collaborative.slug, wave.number)


def _marked(request, slug, found, missing, back):
    """The convenor's mark on one item: found(collaborative) gives it (None: 404), back(item) the
    address to return to."""
    collaborative = _collaborative(slug)
    access.check(request.user, collaborative, "manage")
    item = found(collaborative)
    if item is None:
        raise Refused(missing, status=404)
    reports.set_visibility(item, request.POST.get("visibility"))
    messages.success(request, _said(item.visibility))
    return redirect(back(collaborative, item))


@require_POST
def commitment_visibility(request, slug, pk):
    return _marked(request, slug, lambda c: c.commitments.filter(pk=_int(pk)).first(),
                   _("We could not find that commitment."),
                   lambda c, item: reverse("collaboratives:commitments", args=[c.slug]) + f"#c{item.pk}")


@require_POST
def result_visibility(request, slug, pk):
    return _marked(request, slug, lambda c: c.results.filter(pk=_int(pk)).first(),
                   _("We could not find that result."),
                   lambda c, item: reverse("collaboratives:results", args=[c.slug]) + f"#r{item.pk}")


@require_POST
def indicator_visibility(request, slug, pk):
    return _marked(request, slug, lambda c: c.indicators.filter(pk=_int(pk)).first(),
                   _("We could not find that indicator."),
                   lambda c, item: reverse("collaboratives:results", args=[c.slug]) + f"#i{item.pk}")


@require_POST
def network_visibility(request, slug, number):
    return _marked(request, slug, lambda c: c.network_waves.filter(number=_int(number)).first(),
                   _("We could not find that network survey."),
                   lambda c, wave: reverse("collaboratives:network_results", args=[c.slug, wave.number])
                   + "#visibility")


def _said(visibility):
    if visibility == Visibility.PUBLIC:
        return _("Saved: reports for funders and the public may now show it.")
    return _("Saved: only partners' reports show it.")
