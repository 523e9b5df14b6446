from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "diversion.schemes"
    label = "schemes"
    verbose_name = "Schemes"
