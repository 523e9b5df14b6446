from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "diversion.engagement"
    label = "engagement"
    verbose_name = "Engagement"
