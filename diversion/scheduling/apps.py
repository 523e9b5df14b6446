from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "diversion.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from diversion.core.worker import schedule_register
        from diversion.scheduling.menus import menus_register
        from diversion.scheduling.services import slots_generate_all

        menus_register()
        schedule_register(
            name="Assessment slots four weeks ahead", func=slots_generate_all, minutes=60
        )
