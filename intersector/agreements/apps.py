from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    """Agree: the Partnering Agreement Scorecard, drafts, ratings, review."""

    name = "intersector.agreements"
    label = "agreements"
    verbose_name = "Agree"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from intersector.agreements.access import keep_on_account

        def keep(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                keep_on_account(request, user)

        user_logged_in.connect(keep, dispatch_uid="agreements.keep_on_account", weak=False)
