from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "diversion.retention"
    label = "retention"
    verbose_name = "Retention"

    def ready(self) -> None:
        from diversion.core.worker import schedule_register
        from diversion.retention.job import retention_nightly
        from diversion.retention.kinds import kinds_register
        from diversion.retention.menus import menus_register

        kinds_register()
        menus_register()
        schedule_register(name="Retention", func=retention_nightly, minutes=24 * 60)
