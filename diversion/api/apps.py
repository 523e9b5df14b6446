from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "diversion.api"
    label = "api"
    verbose_name = "API for police systems"

    def ready(self) -> None:
        # Registers the bearer-key security scheme with drf-spectacular.
        from diversion.api import schema  # noqa: F401
