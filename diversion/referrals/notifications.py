"""Messages to the person about their referral. Called after the referral's transaction commits."""

from __future__ import annotations

from django.db import transaction

from diversion.core.logging import get_logger
from diversion.messaging.invites import booking_uid, invite_build
from diversion.messaging.models import Channel, Message
from diversion.messaging.rendering import Appointment, render
from diversion.messaging.selectors import person_channels
from diversion.messaging.services import message_create, messages_dispatch
from diversion.messaging.wording import ASSESSMENT_CONFIRMATION
from diversion.referrals.models import Referral
from diversion.scheduling.models import BookingStatus

logger = get_logger(__name__)


def referral_confirmation_queue(*, referral_id: int) -> list[Message]:
    """Log the confirmation of the booked assessment on each of the person's channels, and
    send it after commit. Queueing the same confirmation again creates nothing new.

    Returns the messages created by this call.
    """
    with transaction.atomic():
        referral = Referral.objects.select_related("person", "scheme__provider").get(pk=referral_id)
        booking = (
            referral.bookings.filter(status=BookingStatus.BOOKED)
            .select_related("slot")
            .order_by("-created_at", "-pk")
            .first()
        )
        if booking is None:
            logger.warning("confirmation_without_booking", referral_id=referral_id)
            return []
        person = referral.person
        channels = person_channels(person=person)
        if not channels:
            logger.info("confirmation_no_channel", referral_id=referral_id)
            return []
        provider = referral.scheme.provider
        words = render(
            template=ASSESSMENT_CONFIRMATION,
            language=person.preferred_language,
            discreet=person.discreet_messages,
            appointment=Appointment(
                starts_at=booking.slot.starts_at,
                ends_at=booking.slot.ends_at,
                reference=referral.reference,
                provider_name=provider.name,
                provider_short_name=provider.short_name,
                outcome_code=referral.outcome_code,
            ),
        )
        created: list[Message] = []
        for channel, recipient in channels.items():
            invite = ""
            if channel == Channel.EMAIL:
                invite = invite_build(
                    uid=booking_uid(booking.pk),
                    starts_at=booking.slot.starts_at,
                    ends_at=booking.slot.ends_at,
                    summary=words.invite_summary,
                    description=words.invite_description,
                    organiser_name=words.sender_name,
                    attendee_email=recipient,
                )
            message, new = message_create(
                person=person,
                referral=referral,
                template=ASSESSMENT_CONFIRMATION,
                language=words.language,
                discreet=words.discreet,
                channel=channel,
                recipient=recipient,
                subject=words.subject if channel == Channel.EMAIL else "",
                body=words.email_text if channel == Channel.EMAIL else words.sms,
                calendar_invite=invite,
                sender_name=words.sender_name,
                dedupe_key=(
                    f"{referral.pk}:{ASSESSMENT_CONFIRMATION}:{channel}:booking-{booking.pk}"
                ),
            )
            if new:
                created.append(message)
        messages_dispatch(message_ids=[message.pk for message in created])
    return created
