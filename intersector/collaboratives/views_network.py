"""The partner network survey's pages: the waves, answering one for a partner, a closed wave's
map and measures, and the convenor's import and exports.

Everyone who sees the collaborative reads closed waves' maps; a partner's representative or
alternate answers for it; convenors open and close waves, import answers and download the files
(which hold each partner's ratings of the others, so they are the convenor's alone).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods, require_POST

from intersector import limits
from intersector.collaboratives import access, network, network_files, network_map
from intersector.collaboratives.network_results import map_description, results
from intersector.collaboratives.views import _collaborative
from intersector.refusals import Refused
from intersector.spreadsheets import csv_response

# Imports read a whole file and rewrite answers: a few a minute is plenty for a convenor.
IMPORTS = limits.Limit("network-import", times=20, seconds=600)


def _wave(collaborative, number):
    wave = collaborative.network_waves.filter(number=number).first()
    if wave is None:
        raise Refused(_("We could not find that network survey."), status=404)
    return wave


def _home_context(collaborative, member):
    waves = list(collaborative.network_waves.all())
    for wave in waves:
        wave.answer_count = wave.answers.count()
    current = next((w for w in waves if w.is_open), None)
    manage = access.can(member, "manage")
    context = {"collaborative": collaborative, "member": member, "waves": waves, "current": current,
               "manage": manage, "speaks": access.can(member, "answer_for_partner"),
               "latest": next((w for w in waves if not w.is_open), None), "partner_count": 0}
    if current is not None:
        context["partner_count"] = len(network.wave_partners(current))
        context["ours"] = network.own_answer(current, member) is not None
        if manage:
            context["answered"] = sorted(a.partner.organisation.name for a in
                                         current.answers.select_related("partner__organisation"))
    return context


@never_cache
def network_home(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    return render(request, "collaboratives/network.html", _home_context(collaborative, member))


@require_POST
def network_open(request, slug):
    collaborative = _collaborative(slug)
    convenor = access.check(request.user, collaborative, "manage")
    wave = network.open_wave(collaborative, convenor)
    messages.success(request, _("Network survey %(n)s is open. Each partner's representative or alternate can "
                                "answer it now.") % {"n": wave.number})
    return redirect("collaboratives:network", collaborative.slug)


@require_POST
def network_close(request, slug, number):
    collaborative = _collaborative(slug)
    access.check(request.user, collaborative, "manage")
    wave = network.close_wave(_wave(collaborative, number))
    messages.success(request, _("Network survey %(n)s is closed. Its map is below.") % {"n": wave.number})
    return redirect("collaboratives:network_results", collaborative.slug, wave.number)


VALUES = {value for value, _label in network.SCALE}


def _carried(post, others):
    """What the answer form carries between its two steps: (ticked partner pks, {pk: {item key:
    text}} for every known partner the post rates, "none" ticked). Unknown partners are dropped
    here; read_answer refuses them when the answer is sent or the list is checked."""
    allowed = {p.pk for p in others}
    ticked = [int(pk) for pk in dict.fromkeys(post.getlist("works_with")) if pk.isdigit() and int(pk) in allowed]
    ratings = {}
    for pk in allowed:
        items = {i.key: (post.get(f"item-{pk}-{i.key}") or "").strip()[:10] for i in network.ITEMS}
        if any(items.values()):
            ratings[pk] = items
    return ticked, ratings, post.get("none") == "yes"


def _answer_page(request, context, step, others, ticked, ratings, none, status=200):
    """Step "list": which partners do you work with (checkboxes only, the ratings carried hidden);
    step "rate": the questions for the ticked partners only (the list carried hidden)."""
    chosen = set(ticked)
    if step == "list":
        context["rows"] = [(p, p.pk in chosen) for p in others]
        context["hidden"] = [(f"item-{pk}-{key}", value) for pk, items in sorted(ratings.items())
                             for key, value in items.items() if value in VALUES]
    else:
        by_pk = {p.pk: p for p in others}
        context["rows"] = [(by_pk[pk], [(item, ratings.get(pk, {}).get(item.key, "")) for item in network.ITEMS])
                           for pk in ticked]
    context.update(step=step, none=none, ticked=len(ticked), scale=network.SCALE)
    return render(request, "collaboratives/network_answer.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def network_answer(request, slug, number):
    """The survey in two steps, without JavaScript: each POST carries the whole answer so far
    (works_with, item-<pk>-<key>, none). "step=list" shows the list, "step=rate" checks the list
    and shows its questions; any other POST (the final "Send our answer", the API's shape) is
    read and saved by network.answer, once."""
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    wave = _wave(collaborative, number)
    others = [p for p in network.wave_partners(wave) if member is None or p.pk != member.partner_id]
    saved = network.own_answer(wave, member)
    context = {"collaborative": collaborative, "member": member, "wave": wave, "answered": saved is not None,
               "problem": None, "speaks": access.can(member, "answer_for_partner"), "partners": len(others)}
    if request.method == "GET":
        ratings = {pk: {key: str(v) for key, v in items.items()} for pk, items in (saved or {}).items()}
        step = "rate" if saved else "list"  # a saved answer opens on its ratings
        return _answer_page(request, context, step, others, [p.pk for p in others if p.pk in ratings],
                            ratings, saved == {})
    access.check(request.user, collaborative, "answer_for_partner")
    step = request.POST.get("step")
    ticked, ratings, none = _carried(request.POST, others)
    if step == "list":
        return _answer_page(request, context, "list", others, ticked, ratings, none)
    try:
        chosen = network.read_answer(request.POST, others)
        if step == "rate" and chosen:
            return _answer_page(request, context, "rate", others, ticked, ratings, none)
        network.answer(wave, member, chosen)
    except Refused as refusal:
        if refusal.status in (403, 404):
            raise
        context["problem"] = refusal.message
        # A rating's problem is shown on the ratings; a problem with the list, on the list.
        listed = len(ticked) == len(request.POST.getlist("works_with"))
        step = "rate" if step != "rate" and ticked and listed and not none else "list"
        return _answer_page(request, context, step, others, ticked, ratings, none, status=refusal.status)
    messages.success(request, _("Thank you: your organisation's answer is saved. You or your organisation's "
                                "other representative can change it until the survey closes."))
    return redirect("collaboratives:network", collaborative.slug)


@gzip_page  # 480 partners: ~490 kB of map and table, ~40 kB gzipped (Django's, with its BREACH padding)
@never_cache
def network_results(request, slug, number):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    wave = _wave(collaborative, number)
    context = {"collaborative": collaborative, "member": member, "wave": wave,
               "manage": access.can(member, "manage"), "fewest": network.FEWEST}
    if wave.is_open:
        context["count"] = wave.answers.count()
    else:
        context.update(results(wave))
        context.update(map_title=_("Network map of %(wave)s") % {"wave": wave},
                       map_desc=map_description(context),
                       partner_rows=network_map.partner_rows(context["nodes"], context["names"], network.FEWEST))
    return render(request, "collaboratives/network_results.html", context)


def refuse_many_imports(user):
    """One import counted for `user`, refused (429) past IMPORTS: the page's and the API's."""
    wait = IMPORTS.hit(user.pk)
    if wait:
        raise Refused(_("You have imported many files in a short time. Wait %(n)s minutes and try again.")
                      % {"n": limits.minutes(wait)}, status=429, retry_after=wait)


@require_POST
def network_import(request, slug, number):
    collaborative = _collaborative(slug)
    convenor = access.check(request.user, collaborative, "manage")
    wave = _wave(collaborative, number)
    refuse_many_imports(request.user)
    upload = request.FILES.get("file")
    problems, problem, status = [], None, 400
    if upload is None:
        problem = _("Choose a CSV file to upload.")
    elif upload.size > network_files.spreadsheets.MAX_UPLOAD_BYTES:
        problem, status = _("This file is larger than 2 MB. Split it into smaller files."), 413
    else:
        try:
            answered, ties = network_files.import_ties(wave, convenor, upload.read())
        except network_files.ImportProblems as refusal:
            problem, problems = refusal.message, refusal.problems
        except Refused as refusal:
            if refusal.status in (403, 404):
                raise
            problem, status = refusal.message, refusal.status
        else:
            messages.success(request, _("Imported %(ties)s ties for %(partners)s partners into %(wave)s.")
                             % {"ties": ties, "partners": answered, "wave": wave})
            return redirect("collaboratives:network", collaborative.slug)
    context = _home_context(collaborative, convenor)
    context.update(import_problem=problem, import_problems=problems[:50], more_problems=max(0, len(problems) - 50))
    return render(request, "collaboratives/network.html", context, status=status)


def _export_name(wave, kind):
    return f"{wave.collaborative.slug}-network-{wave.number}-{kind}"


def export_response(wave, kind):
    """One of a wave's downloads (the API's export answers with the same files)."""
    if kind == "edges.csv":
        return csv_response(_export_name(wave, kind), network_files.EDGE_COLUMNS, network_files.edge_rows(wave))
    if kind == "nodes.csv":
        return csv_response(_export_name(wave, kind), network_files.NODE_COLUMNS, network_files.node_rows(wave))
    if kind == "network.gexf":
        response = HttpResponse(network_files.gexf(wave), content_type="application/gexf+xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_export_name(wave, "network.gexf")}"'
        return response
    raise Refused(_("We could not find that download."), status=404)


@never_cache
def network_export(request, slug, number, kind):
    collaborative = _collaborative(slug)
    access.check(request.user, collaborative, "manage")
    return export_response(_wave(collaborative, number), kind)
