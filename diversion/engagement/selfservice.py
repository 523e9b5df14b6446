"""The person's self-service link: no account, signed, expiring, useless once used.

The address is `/r/<public id>.<signature>`: the public id is random (40 bits) and the signature
an HMAC of it under a key derived from SECRET_KEY (72 bits), so a link can be neither guessed nor
made up, and it stays short enough for a text message. What the link is for, until when, and
whether it was used live in `SelfServiceLink`. Every look and every use is audited; the views
rate-limit by address and by link.

Rules (data, here): a link about a booked assessment expires when the call starts; one in the
missed-appointment message lasts `MISSED_LINK_DAYS` (and only within the scheme's deadline can
a new time be chosen); a link about a course session expires when the session starts. A link
whose appointment has since changed (moved, cancelled, over) is out of date.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from diversion.audit.models import AuditAction
from diversion.audit.services import SYSTEM, Actor, audit_read, audit_record
from diversion.courses.enrolment import enrolment_move
from diversion.engagement.models import LinkPurpose, LinkUse, SelfServiceLink
from diversion.referrals.lifecycle import AWAITING_ASSESSMENT, NOTHING_TO_ARRANGE, ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import CALLABLE, Booking, BookingStatus, Slot
from diversion.scheduling.services import booking_rebook

PERSON = Actor(label="person (self-service link)")
MISSED_LINK_DAYS = 7
SIGNATURE_SALT = "diversion.engagement.selfservice"


class LinkProblem(Exception):
    """Why a link cannot be used, in words for the person."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind, self.message = kind, message


INVALID = "invalid"
EXPIRED = "expired"
USED = "used"
OUT_OF_DATE = "out_of_date"


def _signature(public_id: str) -> str:
    digest = salted_hmac(SIGNATURE_SALT, public_id, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:9]).decode("ascii")


def link_token(link: SelfServiceLink) -> str:
    return f"{link.public_id}.{_signature(link.public_id)}"


def link_url(link: SelfServiceLink) -> str:
    base = str(settings.SELF_SERVICE_BASE_URL).rstrip("/")
    return base + reverse("selfservice:link", args=[link_token(link)])


def link_issue(
    *,
    referral: Referral,
    purpose: str,
    expires_at: dt.datetime,
    booking: Booking | None = None,
    enrolment: Any = None,
    now: dt.datetime | None = None,
) -> SelfServiceLink:
    """A new link for a message about to be sent. Call inside the message's transaction."""
    now = now or timezone.now()
    if purpose not in LinkPurpose.values:
        raise ValueError(f"Unknown link purpose {purpose!r}")
    public_id = base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()
    link = SelfServiceLink.objects.create(
        public_id=public_id,
        referral=referral,
        purpose=purpose,
        booking=booking,
        enrolment=enrolment,
        created_at=now,
        expires_at=expires_at,
    )
    audit_record(
        actor=SYSTEM,
        action=AuditAction.CREATE,
        obj=link,
        scheme=referral.scheme,
        reason="self-service link issued",
        changes={"purpose": purpose, "expires_at": expires_at.isoformat()},
    )
    return link


def _parse(token: str) -> str:
    public_id, _, signature = token.partition(".")
    if not (public_id and signature) or len(token) > 40:
        raise LinkProblem(INVALID, "This link is not complete or not right.")
    if not hmac.compare_digest(signature, _signature(public_id)):
        raise LinkProblem(INVALID, "This link is not complete or not right.")
    return public_id


def _check(link: SelfServiceLink, *, now: dt.datetime) -> None:
    if link.used_at is not None:
        raise LinkProblem(USED, "This link has already been used.")
    if now >= link.expires_at:
        raise LinkProblem(EXPIRED, "This link has expired.")
    if link.referral.status in NOTHING_TO_ARRANGE:
        raise LinkProblem(OUT_OF_DATE, "There is nothing left to arrange with this link.")
    booking = link.booking
    if booking is not None and booking.status not in CALLABLE:
        raise LinkProblem(OUT_OF_DATE, "This appointment has changed since the link was sent.")
    if link.purpose == LinkPurpose.ASSESSMENT and link.referral.status not in AWAITING_ASSESSMENT:
        raise LinkProblem(OUT_OF_DATE, "There is nothing left to arrange with this link.")
    if link.purpose == LinkPurpose.COURSE and (
        link.referral.status != ReferralStatus.COURSE_BOOKED
        or link.enrolment is None
        or link.enrolment.state != "booked"
    ):
        raise LinkProblem(OUT_OF_DATE, "This session has changed since the link was sent.")


@dataclass(frozen=True)
class LinkView:
    link: SelfServiceLink
    referral: Referral
    booking: Booking | None
    enrolment: Any
    can_confirm: bool
    choose_before: dt.datetime


def link_open(*, token: str, now: dt.datetime | None = None) -> LinkView:
    """The link's appointment, for the page; audited as a read. Raises LinkProblem."""
    now = now or timezone.now()
    public_id = _parse(token)
    link = (
        SelfServiceLink.objects.select_related(
            "referral__scheme__provider",
            "referral__person",
            "booking__slot",
            "enrolment__session",
        )
        .filter(public_id=public_id)
        .first()
    )
    if link is None:
        raise LinkProblem(INVALID, "This link is not complete or not right.")
    audit_read(
        actor=PERSON,
        obj=link.referral,
        scheme=link.referral.scheme,
        reason="the person opened their self-service link",
        changes={"link": link.public_id},
    )
    _check(link, now=now)
    booking = link.booking
    can_confirm = (booking is not None and booking.status == BookingStatus.BOOKED) or (
        link.enrolment is not None
    )
    return LinkView(
        link=link,
        referral=link.referral,
        booking=booking,
        enrolment=link.enrolment,
        can_confirm=can_confirm,
        choose_before=deadline_for(link.referral),
    )


def deadline_for(referral: Referral) -> dt.datetime:
    """The last moment a new assessment time may start: the scheme's deadline."""
    return referral.created_at + dt.timedelta(days=referral.scheme.days_to_assessment)


def _locked(public_id: str, *, now: dt.datetime) -> SelfServiceLink:
    link = (
        SelfServiceLink.objects.select_for_update(of=("self",))
        .select_related("referral__scheme", "booking", "enrolment")
        .filter(public_id=public_id)
        .first()
    )
    if link is None:
        raise LinkProblem(INVALID, "This link is not complete or not right.")
    _check(link, now=now)
    return link


def _use(link: SelfServiceLink, *, use: str, now: dt.datetime, changes: dict[str, object]) -> None:
    link.used_at, link.used_for = now, use
    link.save(update_fields=["used_at", "used_for"])
    audit_record(
        actor=PERSON,
        action=AuditAction.UPDATE,
        obj=link,
        scheme=link.referral.scheme,
        reason=f"the person used their link: {LinkUse(use).label.lower()}",
        changes={"referral": link.referral.reference, **changes},
    )


def link_confirm(*, token: str, now: dt.datetime | None = None) -> SelfServiceLink:
    """The person confirms the booked time. Uses the link up."""
    now = now or timezone.now()
    public_id = _parse(token)
    with transaction.atomic():
        link = _locked(public_id, now=now)
        if link.enrolment is not None:  # checked as booked by _locked
            _use(link, use=LinkUse.CONFIRMED, now=now, changes={"enrolment": link.enrolment.pk})
            return link
        if link.booking is None or link.booking.status != BookingStatus.BOOKED:
            raise LinkProblem(OUT_OF_DATE, "There is no booked time to confirm.")
        _use(link, use=LinkUse.CONFIRMED, now=now, changes={"booking": link.booking.pk})
    return link


def link_rebook(*, token: str, slot_id: int, now: dt.datetime | None = None) -> Booking:
    """The person chooses another assessment time within the scheme's rules (its deadline and
    its limit of missed calls). Uses the link up; the new time's confirmation carries a new one.
    Raises LinkProblem, or the scheduling service's BookingRefused / SlotUnavailable."""
    now = now or timezone.now()
    public_id = _parse(token)
    with transaction.atomic():
        link = _locked(public_id, now=now)
        if link.purpose != LinkPurpose.ASSESSMENT:
            raise LinkProblem(INVALID, "Choose one of the times shown.")
        slot = Slot.objects.filter(pk=slot_id, scheme_id=link.referral.scheme_id).first()
        if slot is None or slot.starts_at > deadline_for(link.referral):
            raise LinkProblem(INVALID, "Choose one of the times shown.")
        booking = booking_rebook(
            referral_id=link.referral_id,
            slot_id=slot_id,
            reason="The person chose another time through their self-service link",
            actor=PERSON,
        )
        _use(link, use=LinkUse.REBOOKED, now=now, changes={"booking": booking.pk})
    return booking


def link_move_session(*, token: str, session_id: int, now: dt.datetime | None = None) -> Any:
    """The person chooses another session of their course. Uses the link up; the new session's
    joining details carry a new one. Raises LinkProblem or courses' NotEnrollable."""
    now = now or timezone.now()
    public_id = _parse(token)
    with transaction.atomic():
        link = _locked(public_id, now=now)
        if link.purpose != LinkPurpose.COURSE:
            raise LinkProblem(INVALID, "Choose one of the sessions shown.")
        enrolment = enrolment_move(
            referral_id=link.referral_id,
            session_id=session_id,
            actor=PERSON,
            reason="The person chose another session through their self-service link",
            now=now,
        )
        _use(link, use=LinkUse.MOVED, now=now, changes={"enrolment": enrolment.pk})
    return enrolment
