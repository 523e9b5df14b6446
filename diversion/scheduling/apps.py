from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "diversion.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"
