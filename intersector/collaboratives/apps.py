from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborativesConfig(AppConfig):
    name = "intersector.collaboratives"
    verbose_name = _("Collaborate")
    default_auto_field = "django.db.models.BigAutoField"
