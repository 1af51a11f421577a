from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A key a person gives to their scripts. Only a fingerprint (SHA-256) of it is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="intersector_api_tokens",  # "api_tokens" is Wagtail's own
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the secret, so people can tell their tokens apart.
    prefix = models.CharField(_("starts with"), max_length=16)
    token_hash = models.CharField(_("fingerprint"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
