from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "diversion.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from diversion.accounts.checks import (
            no_demo_accounts_in_production,
            refuse_to_start_with_demo_accounts,
        )
        from diversion.accounts.leavers import inactive_accounts_deactivate
        from diversion.accounts.menus import menus_register
        from diversion.core.startup import startup_check_register
        from diversion.core.worker import schedule_register

        menus_register()
        schedule_register(
            name="Inactive local accounts", func=inactive_accounts_deactivate, minutes=24 * 60
        )
        register(no_demo_accounts_in_production, Tags.security, deploy=True)
        startup_check_register(refuse_to_start_with_demo_accounts)
