from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "diversion.messaging"
    label = "messaging"
    verbose_name = "Messages to people"
