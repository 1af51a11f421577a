from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_menu_item")
def scorecard_menu_item():
    # Curators edit the scorecard by importing a YAML file; this takes them there from /cms/.
    return MenuItem(_("Agreement scorecard"), reverse("agreements:scorecard_versions"),
                    icon_name="list-ul", order=900)
