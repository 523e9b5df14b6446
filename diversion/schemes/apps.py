from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "diversion.schemes"
    label = "schemes"
    verbose_name = "Schemes"

    def ready(self) -> None:
        from diversion.schemes.menus import menus_register

        menus_register()
