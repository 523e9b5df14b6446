from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "diversion.demo"
    label = "demo"
    verbose_name = "Demo data"
