"""The public scorecard with a quick self-assessment, and the curators' scorecard versions."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from intersector.agreements import scorecard as sc
from intersector.agreements import services
from intersector.agreements.models import RATINGS, ScorecardVersion
from intersector.refusals import Refused
from intersector.spreadsheets import csv_response

SELF_KEY = "agree_self"
RATING_KEYS = [key for key, _label in RATINGS]


def scorecard_or_404():
    version = services.current_scorecard()
    if version is None:
        raise Refused(_("The scorecard has not been loaded on this site yet."), status=404)
    return version


def scorecard_csv_response(filename, card, rating_columns, comment_columns):
    """One row per element: its family, title, question, importance, then the given columns
    ({column title: {element key: rating key or comment}}). Cells are made safe to open."""
    header = ([_("Family"), _("Element"), _("Question"), _("Importance")]
              + list(rating_columns) + list(comment_columns))
    rows = ([family.title, element.title, element.question, element.importance]
            + [card.label(col.get(element.key, "")) for col in rating_columns.values()]
            + [col.get(element.key, "") for col in comment_columns.values()]
            for family in card.families for element in family.elements)
    return csv_response(filename, header, rows)


def _self_assessment(request):
    """(version, ratings, comments, form) from the session; keeps the version it was made with."""
    stored = request.session.get(SELF_KEY) or {}
    version = None
    if stored.get("version"):
        version = ScorecardVersion.objects.filter(number=stored["version"]).first()
    if version is None:
        version, stored = scorecard_or_404(), {}
    return version, stored.get("ratings", {}), stored.get("comments", {}), stored.get("form", "")


@require_http_methods(["GET", "HEAD", "POST"])
def scorecard(request):
    version, ratings, comments, form_key = _self_assessment(request)
    card = version.card
    errors = []
    if request.method == "POST":
        version = scorecard_or_404() if not ratings else version
        card = version.card
        form_key = request.POST.get("form", "")
        if form_key and form_key not in sc.FORM_KEYS:
            form_key = ""
        ratings, comments = {}, {}
        for key in card.elements:
            rating = request.POST.get(f"rating-{key}", "")
            if rating and rating not in RATING_KEYS:
                errors.append(key)
                continue
            if rating:
                ratings[key] = rating
            comment = request.POST.get(f"comment-{key}", "").strip()[:2000]
            if comment:
                comments[key] = comment
        if errors:
            return render(request, "agreements/scorecard.html",
                          _scorecard_context(version, ratings, comments, form_key, errors), status=400)
        request.session[SELF_KEY] = {"version": version.number, "ratings": ratings,
                                     "comments": comments, "form": form_key}
        messages.success(request, _("Your self-assessment is saved in this browser. Scroll to the results."))
        return redirect(reverse("agreements:scorecard") + "#results")
    return render(request, "agreements/scorecard.html",
                  _scorecard_context(version, ratings, comments, form_key, errors))


def _scorecard_context(version, ratings, comments, form_key, errors):
    card = version.card
    expected = card.expected(form_key) if form_key else None
    result = sc.score(card, ratings, expected=expected)
    latest = services.current_scorecard()
    return {"version": version, "card": card, "ratings": ratings, "comments": comments,
            "form_key": form_key, "result": result, "chart": sc.bars_svg(result), "errors": errors,
            "scale": card.scale, "newer": latest if latest and latest.number != version.number else None}


@require_POST
def scorecard_reset(request):
    request.session.pop(SELF_KEY, None)
    messages.info(request, _("Your self-assessment was cleared."))
    return redirect("agreements:scorecard")


@require_safe
def scorecard_csv(request):
    version, ratings, comments, _form = _self_assessment(request)
    return scorecard_csv_response("self-assessment.csv", version.card, {_("Your rating"): ratings},
                                  {_("Your comment"): comments})


# --- Curators: scorecard versions -------------------------------------------------------------


def _staff_only(request):
    if not request.user.is_authenticated or not request.user.is_staff:
        raise Http404


@require_http_methods(["GET", "HEAD", "POST"])
def scorecard_versions(request):
    """Staff download the scorecard as YAML, edit it, and upload it as a new version."""
    import yaml

    _staff_only(request)
    error = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        note = request.POST.get("note", "").strip()
        status = 400
        if upload is None or not upload.size:
            error = _("Choose the edited scorecard file (.yaml).")
        elif upload.size > 1_000_000:
            error = _("The file is too large for a scorecard (over 1 MB).")
        else:
            try:
                data = yaml.safe_load(upload.read().decode("utf-8"))
                version, created = services.import_scorecard(data, note=note)
            except (yaml.YAMLError, UnicodeDecodeError):
                error = _("The file is not valid YAML. Check the indentation and quotes.")
            except sc.ScorecardError as exc:
                error = str(exc)
            else:
                if created:
                    messages.success(request, _("Version %(n)s is now the scorecard. Earlier scores keep their version.")
                                     % {"n": version.number})
                elif getattr(version, "translations_updated", False):
                    messages.success(request, _("The translations of version %(n)s were updated; its scores are "
                                                "unchanged.") % {"n": version.number})
                else:
                    messages.info(request, _("Nothing changed: this content is version %(n)s.") % {"n": version.number})
                return redirect("agreements:scorecard_versions")
    return render(request, "agreements/scorecard_versions.html",
                  {"versions": ScorecardVersion.objects.all()[:50], "error": error}, status=status)


@require_safe
def scorecard_yaml(request, number):
    import yaml

    _staff_only(request)
    version = ScorecardVersion.objects.filter(number=number).first()
    if version is None:
        raise Http404
    response = HttpResponse(yaml.safe_dump(version.definition, allow_unicode=True, sort_keys=False),
                            content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scorecard-v{version.number}.yaml"'
    return response
