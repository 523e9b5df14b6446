from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "diversion.reference"
    label = "reference"
    verbose_name = "Reference data"
