"""Learn's newsletter (subscribers, issues, deliveries) and bookkeeping (starter items loaded
once, a curator's CSV import between preview and import): the library app's models that are not
library items. models.py imports them, so they are the app's models."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

class Subscriber(models.Model):
    """A newsletter address: confirmed only after the person clicks the link we e-mailed."""

    email = models.EmailField(_("e-mail address"), unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.confirmed is not None and self.unsubscribed is None


class NewsletterIssue(models.Model):
    """One newsletter sent to the confirmed subscribers: which briefings, when, to how many."""

    key = models.CharField(max_length=64, unique=True)  # the form's one-time key: a double click sends once
    subject = models.CharField(_("subject"), max_length=200)
    briefings = models.ManyToManyField("library.Briefing", related_name="+", verbose_name=_("briefings"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    finished = models.DateTimeField(_("sent"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.subject


class NewsletterDelivery(models.Model):
    """A subscriber has been sent an issue: written before the mail goes, so no one gets it twice."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="issue_sent_once")]


class StarterRecord(models.Model):
    """Starter items already loaded once, so a curator's deletion is never undone by a reload."""

    kind = models.CharField(max_length=30)
    slug = models.CharField(max_length=100)
    loaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="library_starter_once")]


class ResourceImport(models.Model):
    """A CSV file a curator uploaded: kept between the preview and the background import."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=200)
    data = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created"]
