from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People with accounts (facilitators, partners, curators) and their organisations."""

    name = "intersector.accounts"
    label = "accounts"
    verbose_name = "Accounts"
