"""Case packs in the content admin (/cms/): a snippet with one form field for everything in a
pack (roles as a list of rows), plus "Import a pack file" and "Download this pack"."""

from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface,
)
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from intersector.casepacks.forms import StoredPackForm
from intersector.casepacks.models import StoredPack


def import_button():
    return HeaderButton(_("Import a pack file"), url=reverse("casepacks:index"), icon_name="upload")


def download_button(pack):
    return Button(_("Download this pack"), url=reverse("casepacks:download", args=[pack.pk]),
                  icon_name="download", priority=5)


class PackIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        return super().header_buttons + [import_button()]


class PackEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [download_button(self.object)] + super().header_more_buttons


class CasePackViewSet(SnippetViewSet):
    model = StoredPack
    icon = "clipboard-list"
    menu_label = _("Case packs")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "key", "language", "version", "updated"]
    list_filter = ["language"]
    search_backend_name = None
    search_fields = ["title", "key"]
    index_view_class = PackIndexView
    edit_view_class = PackEditView
    edit_handler = TabbedInterface([
        ObjectList([
            HelpPanel(content=_(
                "<p>Role briefs are confidential: only staff allowed to edit case packs see this "
                "page. Saving checks the whole pack and lists every problem at the top of the "
                "page; nothing is saved until they are fixed. Each saved change raises the "
                "version by one.</p>")),
            FieldRowPanel([FieldPanel("key"), FieldPanel("language"),
                           FieldPanel("version", read_only=True)]),
            FieldPanel("title"), FieldPanel("summary"), FieldPanel("source"), FieldPanel("licence"),
            InlinePanel("background_rows", heading=_("The case everyone reads"),
                        label=_("Section")),
        ], heading=_("The case")),
        ObjectList([
            InlinePanel("group_rows", heading=_("Interest groups"), label=_("Interest group")),
            InlinePanel("role_rows", heading=_("Roles"), label=_("Role"), help_text=_(
                "Order matters: every table plays the first roles, so put those a table cannot do "
                "without first.")),
        ], heading=_("Roles")),
        ObjectList([
            InlinePanel("phase_rows", heading=_("Phases"), label=_("Phase"), max_num=4,
                        help_text=_("The four phases in this order: read, choose families, "
                                    "negotiate, present. Leave them all out for the usual 10, 5, "
                                    "25 and 10 minutes.")),
            MultiFieldPanel([FieldRowPanel([FieldPanel("families_min"),
                                            FieldPanel("families_max")])],
                            heading=_("How many question families a table picks")),
            InlinePanel("guide_rows", heading=_("Facilitator guide"), label=_("Section")),
            InlinePanel("debrief_rows", heading=_("Debrief questions"), label=_("Question"),
                        help_text=_("Leave them all out for the six usual questions.")),
            FieldPanel("results_intro"),
            InlinePanel("result_rows", heading=_("Results form: fields"), label=_("Field")),
        ], heading=_("Running it")),
    ], base_form_class=StoredPackForm)


register_snippet(CasePackViewSet)


@hooks.register("register_snippet_listing_buttons")
def pack_download_button(snippet, user, next_url=None):
    if isinstance(snippet, StoredPack) and user.has_perm("casepacks.view_storedpack"):
        yield download_button(snippet)
