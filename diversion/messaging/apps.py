from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "diversion.messaging"
    label = "messaging"
    verbose_name = "Messages to people"

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from diversion.core.worker import schedule_register
        from diversion.messaging.checks import self_service_address_is_discreet
        from diversion.messaging.services import messages_retry_stale

        register(self_service_address_is_discreet, Tags.security)
        schedule_register(name="Messages waiting too long", func=messages_retry_stale, minutes=1)
