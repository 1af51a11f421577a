from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe


@require_safe
def index(request):
    return render(
        request,
        "section.html",
        {
            "section_title": _("Agree"),
            "section_lead": _("Write a partnering agreement together and check it with the Partnering Agreement Scorecard."),
            "section_items": [
            _("The scorecard: Who, Why, What, When, How and What if"),
            _("A guided editor that several partners can use together"),
            _("A review of an agreement you already have"),
            ],
        },
    )
