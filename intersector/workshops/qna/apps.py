from django.apps import AppConfig


class QnaConfig(AppConfig):
    """Not an activity kind: a part that kinds switch on (see __init__.py)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "intersector.workshops.qna"
    label = "qna"
    verbose_name = "Convene: questions and answers"
