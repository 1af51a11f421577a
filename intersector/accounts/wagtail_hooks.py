"""Organisations in the content admin (/cms/): staff add them and edit who belongs to each."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from intersector.accounts.models import Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "sector", "website"]
    list_filter = ["sector"]
    search_fields = ["name", "slug"]
    # Organisations are not in the search index: search them with the database.
    search_backend_name = None
    ordering = ["name"]


register_snippet(OrganisationViewSet)
