from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "diversion.casework"
    verbose_name = "Casework"
