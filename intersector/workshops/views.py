from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe


@require_safe
def index(request):
    return render(
        request,
        "section.html",
        {
            "section_title": _("Convene"),
            "section_lead": _("Run a live workshop where everyone takes part from their phone."),
            "section_items": [
            _("An agenda and a join code for the room"),
            _("Silent brainwriting on sector styles, grouped into themes automatically"),
            _("Case simulations with confidential roles at each table"),
            ],
        },
    )
