from django.apps import AppConfig
from django.core import checks


class JobsConfig(AppConfig):
    """Background work with a progress record that a page can show."""

    name = "intersector.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from django_tasks.signals import task_finished

        task_finished.connect(_task_finished, dispatch_uid="jobs.task_finished")
        checks.register(check_lease_settings)


def _task_finished(sender, task_result, **kwargs):
    from intersector.jobs.services import fail_jobs_of_failed_task

    fail_jobs_of_failed_task(task_result)


def check_lease_settings(app_configs, **kwargs):
    """A lease shorter than two heartbeats would fail jobs whose worker is alive and well."""
    from django.conf import settings

    heartbeat, lease = settings.JOB_HEARTBEAT_SECONDS, settings.JOB_LEASE_SECONDS
    if heartbeat <= 0 or lease < 2 * heartbeat:
        return [checks.Warning(
            f"JOB_LEASE_SECONDS ({lease:g}) should be at least twice JOB_HEARTBEAT_SECONDS "
            f"({heartbeat:g}), and both above zero: otherwise running jobs may be marked failed.",
            id="jobs.W001")]
    return []
