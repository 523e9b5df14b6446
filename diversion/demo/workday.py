"""A realistic day for each demo worker, relative to the day the demo is loaded: calls booked
today, calls missed yesterday waiting for follow-up (with contact attempts), an overdue case,
one call with an interpreter booked, and one worker on leave from tomorrow whose booked call
needs reassigning. Referrals go through the officer's service; the booked slots are then moved
to today's (past) times, which no officer could book."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone
from faker import Faker

from diversion.accounts.models import User
from diversion.audit.services import Actor
from diversion.core.roles import Role
from diversion.officer.services import IneligibleReferral, referral_submit
from diversion.referrals.details import DrugDetails, PersonDetails, StopDetails
from diversion.referrals.models import Referral
from diversion.scheduling.calls import booking_mark_missed, contact_attempt_record
from diversion.scheduling.models import Booking, Interpreter, Slot
from diversion.scheduling.rotas import rota_exception_add
from diversion.schemes.models import Scheme

TODAY_TIMES = [dt.time(9, 0), dt.time(10, 30), dt.time(13, 30), dt.time(15, 45)]
YESTERDAY_MISSED = [dt.time(11, 15), dt.time(14, 0)]
ON_LEAVE = "Grace Adeyemi"


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def _book(
    *,
    rng: random.Random,
    fake: Faker,
    scheme: Scheme,
    officer: Any,
    worker: Any,
    starts_at: dt.datetime,
    key: str,
    **person: Any,
) -> Booking | None:
    """A referral booked through the service, its call then moved to `starts_at`."""
    if Referral.objects.filter(idempotency_key=key).exists():
        return None
    Slot.objects.filter(worker=worker, starts_at=starts_at, bookings__isnull=True).delete()
    if Slot.objects.filter(worker=worker, starts_at=starts_at).exists():
        return None
    later = timezone.now() + dt.timedelta(days=400, minutes=rng.randint(0, 500_000))
    placeholder = Slot.objects.create(
        scheme=scheme, worker=worker, starts_at=later, ends_at=later + dt.timedelta(minutes=45)
    )
    details = PersonDetails(
        given_name=fake.first_name(),
        family_name=fake.last_name(),
        date_of_birth=dt.date(rng.randint(1970, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        sex=rng.choice(["male", "male", "male", "female"]),
        self_defined_ethnicity="W1",
        observed_ethnicity="IC1",
        mobile=f"+4479{rng.randint(10_000_000, 99_999_999)}",
        safe_to_text=rng.random() < 0.8,
        safe_to_leave_voicemail=rng.random() < 0.5,
        **person,
    )
    stop = StopDetails(
        stopped_at=min(
            starts_at - dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(1, 6)),
            timezone.now() - dt.timedelta(hours=1),
        ),
        local_authority_id=scheme.local_authorities.order_by("pk").first().pk,  # type: ignore[union-attr]
        how_found="stop_and_search",
        drugs=(
            DrugDetails(
                code="cannabis", name="Cannabis (herbal or resin)", drug_class="B", quantity="3g"
            ),
        ),
    )
    try:
        created = referral_submit(
            officer=officer,
            scheme=scheme,
            person=details,
            stop=stop,
            consent_to_contact=True,
            consent_to_share=True,
            slot_id=placeholder.pk,
            idempotency_key=key,
        )
    except IneligibleReferral:
        placeholder.delete()
        return None
    Slot.objects.filter(pk=placeholder.pk).update(
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=45)
    )
    return Booking.objects.select_related("slot").get(referral=created.referral)


def create_workday(*, seed: int = 2026) -> int:
    """Returns how many calls it booked. Running it again the same day adds nothing."""
    rng, fake = random.Random(seed), Faker("en_GB")
    fake.seed_instance(seed)
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    tomorrow = today + dt.timedelta(days=1)
    made = 0
    for scheme in Scheme.objects.order_by("code"):
        officer = User.objects.filter(organisation=scheme.force, role=Role.OFFICER).first()
        manager = User.objects.filter(
            organisation=scheme.provider, role=Role.PROVIDER_MANAGER
        ).first()
        workers = list(
            User.objects.filter(organisation=scheme.provider, role=Role.WORKER).order_by("pk")
        )
        if officer is None or not workers:
            continue
        for index, worker in enumerate(workers):
            actor = Actor.of(worker)
            stem = f"demo-day-{today:%Y%m%d}-{scheme.code}-{worker.pk}"
            for number, time in enumerate(TODAY_TIMES):
                extra = {"preferred_language": "pl"} if index == 0 and number == 1 else {}
                booking = _book(
                    rng=rng,
                    fake=fake,
                    scheme=scheme,
                    officer=officer,
                    worker=worker,
                    starts_at=_at(today, time),
                    key=f"{stem}-today-{number}",
                    **extra,
                )
                if booking is None:
                    continue
                made += 1
                if extra:
                    booking.interpreter = Interpreter.BOOKED
                    booking.interpreter_language = "Polish"
                    booking.save(update_fields=["interpreter", "interpreter_language"])
                if number == 0 and booking.slot.starts_at < timezone.now():
                    contact_attempt_record(booking_id=booking.pk, outcome="no_answer", actor=actor)
            for number, time in enumerate(YESTERDAY_MISSED):
                booking = _book(
                    rng=rng,
                    fake=fake,
                    scheme=scheme,
                    officer=officer,
                    worker=worker,
                    starts_at=_at(yesterday, time),
                    key=f"{stem}-missed-{number}",
                )
                if booking is None:
                    continue
                made += 1
                contact_attempt_record(booking_id=booking.pk, outcome="no_answer", actor=actor)
                contact_attempt_record(
                    booking_id=booking.pk,
                    outcome="wrong_number" if number else "no_answer",
                    actor=actor,
                )
                booking_mark_missed(booking_id=booking.pk, actor=actor)
        # An overdue case: referred long ago, its call only tomorrow.
        late = _book(
            rng=rng,
            fake=fake,
            scheme=scheme,
            officer=officer,
            worker=workers[0],
            starts_at=_at(tomorrow, dt.time(9, 45)),
            key=f"demo-day-{today:%Y%m%d}-{scheme.code}-overdue",
        )
        if late is not None:
            made += 1
            Referral.objects.filter(pk=late.referral_id).update(
                created_at=timezone.now() - dt.timedelta(days=scheme.days_to_assessment + 3)
            )
        made += _leave(rng=rng, fake=fake, scheme=scheme, officer=officer, manager=manager)
    return made


def _leave(*, rng: random.Random, fake: Faker, scheme: Scheme, officer: Any, manager: Any) -> int:
    """One worker is on leave from tomorrow for three days; a call booked before the leave was
    recorded now needs reassigning."""
    worker = User.objects.filter(
        organisation=scheme.provider, role=Role.WORKER, full_name=ON_LEAVE
    ).first()
    if worker is None or manager is None or worker.rota_exceptions.exists():
        return 0
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    booking = _book(
        rng=rng,
        fake=fake,
        scheme=scheme,
        officer=officer,
        worker=worker,
        starts_at=_at(tomorrow, dt.time(11, 0)),
        key=f"demo-day-{tomorrow:%Y%m%d}-{scheme.code}-leave",
    )
    rota_exception_add(
        actor=Actor.of(manager),
        worker=worker,
        kind="leave",
        starts_on=tomorrow,
        ends_on=tomorrow + dt.timedelta(days=2),
    )
    return int(booking is not None)
