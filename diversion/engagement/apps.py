from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "diversion.engagement"
    label = "engagement"
    verbose_name = "Engagement"

    def ready(self) -> None:
        # Imported here, not at the top: models must be loaded first (Django's app registry).
        from diversion.core.events import subscribe
        from diversion.engagement.followups import status_messages_on_change
        from diversion.engagement.notifications import (
            confirmation_on_booking_moved,
            confirmation_on_referral_created,
        )
        from diversion.engagement.services import police_notices_record
        from diversion.referrals.events import ReferralCreated, StatusChanged
        from diversion.scheduling.events import BookingMoved

        subscribe(StatusChanged, police_notices_record, in_transaction=True)
        subscribe(StatusChanged, status_messages_on_change)
        subscribe(ReferralCreated, confirmation_on_referral_created, in_transaction=True)
        subscribe(BookingMoved, confirmation_on_booking_moved)

        from diversion.core.worker import schedule_register
        from diversion.engagement.deadlines import deadlines_apply
        from diversion.engagement.menus import menus_register
        from diversion.engagement.notifications import reminders_due

        menus_register()
        schedule_register(name="Scheme deadlines", func=deadlines_apply, minutes=15)
        schedule_register(name="Assessment reminders due", func=reminders_due, minutes=5)
