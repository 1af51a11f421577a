from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    """Agree: the Partnering Agreement Scorecard, drafts, ratings, review."""

    name = "intersector.agreements"
    label = "agreements"
    verbose_name = "Agree"
