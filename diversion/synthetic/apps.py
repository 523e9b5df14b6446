from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "diversion.synthetic"
    label = "synthetic"
    verbose_name = "Synthetic data"
