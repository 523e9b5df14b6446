from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "diversion.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from diversion.core import logging
        from diversion.core.navigation import NavItem, nav_register
        from diversion.core.worker import heartbeat, schedule_register

        logging.configure_structlog()
        nav_register(NavItem(label="Home", url_name="core:home", order=10))
        schedule_register(name="Worker heartbeat", func=heartbeat, minutes=1)
