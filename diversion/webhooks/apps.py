from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "diversion.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        # Imported here, not at the top: models must be loaded first (Django's app registry).
        from diversion.core.events import subscribe
        from diversion.engagement.events import PoliceNoticeCreated
        from diversion.referrals.events import ReferralCreated
        from diversion.webhooks.services import webhook_events_queue

        subscribe(ReferralCreated, webhook_events_queue)
        subscribe(PoliceNoticeCreated, webhook_events_queue)

        from diversion.core.worker import schedule_register
        from diversion.webhooks.menus import menus_register
        from diversion.webhooks.services import webhook_deliveries_due

        menus_register()
        schedule_register(name="Webhook deliveries due", func=webhook_deliveries_due, minutes=1)
