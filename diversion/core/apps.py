from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "diversion.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from diversion.core import checks, logging  # noqa: F401

        logging.configure_structlog()
