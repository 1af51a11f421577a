import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Jobs a person may see: their own, or every job for staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(owner=user)


class Job(models.Model):
    """One piece of background work and how far it has got, for a page to show."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=100, blank=True)
    label = models.CharField(_("label"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    # None while the task does not yet know how much there is to do.
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    # Whatever the task produced, e.g. {"summary": "...", "url": "/media/...", "link_text": "..."}.
    result = models.JSONField(_("result"), null=True, blank=True)
    # A plain sentence for the person; tracebacks go to the log, never here.
    error = models.TextField(_("error"), blank=True)
    task_result_id = models.CharField(_("task result id"), max_length=64, blank=True)
    # What "Try again" queues: the task's import path and its keyword arguments (plain JSON).
    task_path = models.CharField(_("task"), max_length=200, blank=True)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    # The worker's last sign of life while the job runs; a stale one means the worker is gone.
    heartbeat = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    retry_of = models.ForeignKey(
        "self",
        verbose_name=_("a new try of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retries",
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["owner", "-created"], name="jobs_owner_recent"),
            # The sweep for orphaned jobs reads only the few unfinished ones.
            models.Index(
                fields=["status", "heartbeat"],
                name="jobs_unfinished",
                condition=models.Q(status__in=["queued", "running"]),
            ),
        ]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in self.FINISHED

    @property
    def progress_max(self):
        """The progress bar's max, or None for a bar that only shows that work is going on."""
        if self.total:
            return self.total
        if self.status == self.Status.DONE:
            return 1
        return None

    @property
    def progress_value(self):
        if self.status == self.Status.DONE:
            return self.progress_max
        if self.progress_max is None:
            return None
        return min(self.done, self.progress_max)

    @property
    def percent(self):
        if self.progress_max is None:
            return None
        return round(100 * self.progress_value / self.progress_max)

    @property
    def progress_text(self):
        """The progress in words, for the bar's accessible value and for people without bars."""
        if self.status == self.Status.DONE:
            return str(_("Done"))
        if self.total:
            return _("%(done)s of %(total)s (%(percent)s%%)") % {
                "done": self.progress_value,
                "total": self.total,
                "percent": self.percent,
            }
        return str(self.get_status_display())

    @property
    def result_summary(self):
        if isinstance(self.result, dict):
            return str(self.result.get("summary") or "")
        return ""

    @property
    def result_url(self):
        """The link to what the job produced; only site paths and http(s) addresses are shown."""
        if not isinstance(self.result, dict):
            return ""
        url = str(self.result.get("url") or "")
        parts = urlsplit(url)
        if url.startswith("/") and not url.startswith("//"):
            return url
        if parts.scheme in ("http", "https") and parts.netloc:
            return url
        return ""

    @property
    def result_link_text(self):
        if isinstance(self.result, dict) and self.result.get("link_text"):
            return str(self.result["link_text"])
        return _("Open the result")

    def as_dict(self):
        """The job as plain data, for the JSON view and the API."""
        return {
            "id": str(self.pk),
            "kind": self.kind,
            "label": self.label,
            "status": self.status,
            "status_label": str(self.get_status_display()),
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "message": self.message,
            "result": self.result,
            "result_url": self.result_url or None,
            "error": self.error,
            "created": self.created.isoformat(),
            "started": self.started.isoformat() if self.started else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "url": self.get_absolute_url(),
            "retry_of": str(self.retry_of_id) if self.retry_of_id else None,
        }
