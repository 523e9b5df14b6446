from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "diversion.accounts"
    label = "accounts"
    verbose_name = "Accounts"
