from django.apps import AppConfig


class OfficerConfig(AppConfig):
    """The officer's referral at the scene: pages, forms, drafts and the submission service."""

    name = "diversion.officer"
    label = "officer"
    verbose_name = "Officer's referral"

    def ready(self) -> None:
        from diversion.officer.menus import menus_register

        menus_register()
