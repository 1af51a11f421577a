from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background work with a progress record that a page can show."""

    name = "intersector.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from django_tasks.signals import task_finished

        task_finished.connect(_task_finished, dispatch_uid="jobs.task_finished")


def _task_finished(sender, task_result, **kwargs):
    from intersector.jobs.services import fail_jobs_of_failed_task

    fail_jobs_of_failed_task(task_result)
