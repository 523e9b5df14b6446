from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "diversion.privacy"
    label = "privacy"
    verbose_name = "Information rights"

    def ready(self) -> None:
        from diversion.privacy.menus import menus_register

        menus_register()
