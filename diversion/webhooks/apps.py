from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "diversion.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
