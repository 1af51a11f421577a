from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe


@require_safe
def index(request):
    return render(
        request,
        "section.html",
        {
            "section_title": _("Learn"),
            "section_lead": _("Read how cross-sector partnerships work, step by step, with real cases."),
            "section_items": [
            _("The toolkit: Diagnosis, Design, Implementation and Assessment, with tools and guiding questions"),
            _("A case library of real collaborations you can filter and search"),
            _("A resource library and research briefings"),
            ],
        },
    )
