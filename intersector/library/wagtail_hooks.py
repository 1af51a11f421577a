"""Learn in the content admin (/cms/): every collection is a snippet with drafts, revisions
and preview, grouped under one "Learn" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from intersector.library.models import Briefing, Case, Resource, Stage, Subscriber, Tool


class StageViewSet(SnippetViewSet):
    model = Stage
    icon = "list-ol"
    menu_label = _("Toolkit stages")
    list_display = ["title", "question", "live"]
    ordering = ["sort_order"]


class ToolViewSet(SnippetViewSet):
    model = Tool
    icon = "pick"
    menu_label = _("Toolkit tools")
    list_display = ["title", "stage", "starter", "live"]
    list_filter = ["stage", "starter"]


class CaseViewSet(SnippetViewSet):
    model = Case
    icon = "doc-full"
    menu_label = _("Cases")
    list_display = ["title", "state", "start_year", "starter", "live"]
    list_filter = ["starter", "state"]


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "link"
    menu_label = _("Resources")
    list_display = ["title", "type", "year", "starter", "live"]
    list_filter = ["type", "starter"]


class BriefingViewSet(SnippetViewSet):
    model = Briefing
    icon = "mail"
    menu_label = _("Research briefings")
    list_display = ["title", "series", "date", "starter", "live"]
    list_filter = ["series", "starter"]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Newsletter subscribers")
    list_display = ["email", "created", "confirmed", "unsubscribed"]
    search_backend_name = None
    search_fields = ["email"]
    inspect_view_enabled = True


class LearnGroup(SnippetViewSetGroup):
    menu_label = _("Learn")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (StageViewSet, ToolViewSet, CaseViewSet, ResourceViewSet, BriefingViewSet, SubscriberViewSet)


register_snippet(LearnGroup)


@hooks.register("register_admin_menu_item")
def newsletter_menu_item():
    # Sending the briefings newsletter is a page of its own; this takes curators there from /cms/.
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    return MenuItem(_("Send the newsletter"), reverse("library:newsletter_issues"), icon_name="mail", order=910)

