"""The kinds of record kept by apps below retention: how each finds the rows due and treats
them. Rows are found by set-based queries and treated by bulk UPDATE or DELETE of one batch of
primary keys, inside the job's short transaction (job.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, Q, QuerySet

from diversion.audit.models import AuditEvent
from diversion.audit.pruning import prune_events_before
from diversion.audit.services import SYSTEM
from diversion.casework.models import (
    AdvicePlan,
    Allocation,
    Assessment,
    OnwardReferral,
    SafeguardingConcern,
)
from diversion.core.logging import get_logger
from diversion.engagement.models import PoliceNotice, SelfServiceLink
from diversion.messaging.models import InboundMessage, Message
from diversion.people.models import Person
from diversion.privacy.erasure import ErasureRefused, anonymise_person
from diversion.privacy.models import Erasure
from diversion.referrals.lifecycle import FINISHED
from diversion.referrals.models import Referral
from diversion.retention.registry import (
    Action,
    Clock,
    RetentionKind,
    Scope,
    retention_kind_register,
)

logger = get_logger(__name__)

YEAR = 365


def days_of_years(years: int) -> int:
    """Whole years in days, counting the leap days they may hold (6 years: 2,192 days)."""
    return years * YEAR + (years + 3) // 4


def _delete(rows: QuerySet[Any], action: str, now: dt.datetime) -> int:
    """Delete exactly these rows; the count is of the kind's own rows, not of cascades."""
    number = rows.count()
    rows.delete()
    return number


# People: anonymised (privacy's erasure) once every referral of theirs closed long enough ago -


def _people_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[Person]:
    referrals = Referral.objects.filter(person=OuterRef("pk"))
    return Person.objects.filter(scheme_id=scheme_id).filter(
        Exists(referrals),
        ~Exists(referrals.exclude(status__in=FINISHED)),
        ~Exists(referrals.filter(status_changed_at__gt=cutoff)),
        ~Exists(Erasure.objects.filter(person=OuterRef("pk"))),
    )


def _people_anonymise(rows: QuerySet[Person], action: str, now: dt.datetime) -> int:
    """Each person through privacy's erasure (one savepoint each). One it refuses (a hold
    placed since the run began) is left for the next night and logged."""
    done = 0
    for person in rows.order_by("pk"):
        try:
            anonymise_person(person, actor=SYSTEM, reason="retention: the retention period ended")
        except ErasureRefused as refusal:
            logger.warning("retention_person_refused", person=person.pk, reason=str(refusal))
        else:
            done += 1
    return done


# Closed referrals: assessment and advice ------------------------------------------------------


def _closed_referrals(scheme_id: int, cutoff: dt.datetime) -> QuerySet[Referral]:
    return Referral.objects.filter(
        scheme_id=scheme_id, status__in=FINISHED, status_changed_at__lte=cutoff
    )


def _assessment_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[Referral]:
    has_casework = (
        Exists(Assessment.objects.filter(referral=OuterRef("pk")))
        | Exists(AdvicePlan.objects.filter(referral=OuterRef("pk")))
        | Exists(OnwardReferral.objects.filter(referral=OuterRef("pk")))
        | Exists(SafeguardingConcern.objects.filter(referral=OuterRef("pk")))
        | Exists(Allocation.objects.filter(referral=OuterRef("pk")))
    )
    return _closed_referrals(scheme_id, cutoff).filter(has_casework)


def _assessment_anonymise(rows: QuerySet[Referral], action: str, now: dt.datetime) -> int:
    """Clear the answers and every free text; keep the scores, bands, risk levels, course
    allocated and onward services used (counted by the provider's reports, naming nobody)."""
    ids = list(rows.values_list("pk", flat=True))
    Assessment.objects.filter(referral_id__in=ids).update(answers={}, risk_change_reason="")
    AdvicePlan.objects.filter(referral_id__in=ids).update(personal_note="")
    Allocation.objects.filter(referral_id__in=ids).update(change_reason="")
    OnwardReferral.objects.filter(referral_id__in=ids).update(notes="")
    SafeguardingConcern.objects.filter(referral_id__in=ids).update(kinds=[])
    return len(ids)


# Messages and delivery logs --------------------------------------------------------------------


def _messages_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[Message]:
    return Message.objects.filter(person__scheme_id=scheme_id, created_at__lte=cutoff)


def _messages_treat(rows: QuerySet[Message], action: str, now: dt.datetime) -> int:
    if action == Action.DELETE:
        return _delete(rows, action, now)
    # Anonymised: the delivery log stays (channel, wording's code, status, times), the
    # recipient and every word sent go.
    return rows.update(
        recipient="",
        recipient_index="",
        subject="",
        body="",
        calendar_invite="",
        sender_name="",
        provider_reference="",
    )


def _inbound_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[InboundMessage]:
    return InboundMessage.objects.filter(received_at__lte=cutoff)


# Self-service links, police notices, sessions --------------------------------------------------


def _links_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[SelfServiceLink]:
    return SelfServiceLink.objects.filter(referral__scheme_id=scheme_id).filter(
        Q(used_at__lte=cutoff) | Q(expires_at__lte=cutoff)
    )


def _notices_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[PoliceNotice]:
    return PoliceNotice.objects.filter(scheme_id=scheme_id, created_at__lte=cutoff)


def _sessions_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[Session]:
    return Session.objects.filter(expire_date__lte=cutoff)


# Audit events: the audit app removes them behind a signed prune point --------------------------


def _audit_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(occurred_at__lt=cutoff)


def audit_events_prune(cutoff: dt.datetime, batch_size: int) -> int:
    return prune_events_before(cutoff, batch_size=batch_size)


def kinds_register() -> None:
    for kind in KINDS:
        retention_kind_register(kind)


KINDS = [
    RetentionKind(
        key="referral_person",
        label="Referrals and the people referred",
        records=(
            "the person's identity, contact details and police identifier, and the free text "
            "of their referrals; the non-identifying facts stay for the evaluation"
        ),
        noun="people",
        clock=Clock.LAST_REFERRAL_CLOSED,
        actions=(Action.ANONYMISE,),
        default_action=Action.ANONYMISE,
        default_days=days_of_years(6),
        due=_people_due,
        apply=_people_anonymise,
        person_field="pk",
        marks=False,
        batch_size=1,  # one person, one transaction (privacy's erasure is per person)
        order=99,  # last: the kinds above do their part first, then erasure does the rest
    ),
    RetentionKind(
        key="assessment_advice",
        label="Assessments and advice",
        records=(
            "assessment answers, advice plans, allocations, onward referrals and "
            "safeguarding concerns"
        ),
        noun="referrals' assessments and advice",
        clock=Clock.REFERRAL_CLOSED,
        actions=(Action.ANONYMISE,),
        default_action=Action.ANONYMISE,
        default_days=days_of_years(6),
        due=_assessment_due,
        apply=_assessment_anonymise,
        referral_field="pk",
        person_field="person_id",
        order=20,
    ),
    RetentionKind(
        key="messages",
        label="Messages and delivery logs",
        records="text messages and emails sent to people, with their delivery log",
        noun="message logs",
        clock=Clock.CREATED,
        actions=(Action.DELETE, Action.ANONYMISE),
        default_action=Action.DELETE,
        default_days=YEAR,
        due=_messages_due,
        apply=_messages_treat,
        referral_field="referral_id",
        person_field="person_id",
        order=30,
    ),
    RetentionKind(
        key="inbound_messages",
        label="Replies by text",
        records="text messages people sent in reply (such as STOP)",
        noun="replies",
        clock=Clock.CREATED,
        actions=(Action.DELETE,),
        default_action=Action.DELETE,
        default_days=YEAR,
        due=_inbound_due,
        apply=_delete,
        scope=Scope.DEPLOYMENT,
        order=35,
    ),
    RetentionKind(
        key="self_service_links",
        label="Self-service links",
        records="the links in messages that let a person confirm or change an appointment",
        noun="self-service links",
        clock=Clock.USED_OR_EXPIRED,
        actions=(Action.DELETE,),
        default_action=Action.DELETE,
        default_days=0,
        due=_links_due,
        apply=_delete,
        referral_field="referral_id",
        person_field="referral__person_id",
        order=40,
    ),
    RetentionKind(
        key="police_notices",
        label="Notices to the police",
        records="engagement outcomes and intelligence logs sent to the force",
        noun="police notices",
        clock=Clock.CREATED,
        actions=(Action.DELETE,),
        default_action=Action.DELETE,
        default_days=days_of_years(2),
        due=_notices_due,
        apply=_delete,
        referral_field="referral_id",
        person_field="referral__person_id",
        order=50,
    ),
    RetentionKind(
        key="audit_events",
        label="Audit events",
        records="who read or changed which record, and sign-ins",
        noun="audit events",
        clock=Clock.CREATED,
        actions=(Action.DELETE,),
        default_action=Action.DELETE,
        default_days=days_of_years(7),
        due=_audit_due,
        remove_before=audit_events_prune,
        scope=Scope.DEPLOYMENT,
        order=60,
    ),
    RetentionKind(
        key="sessions",
        label="Sign-in sessions",
        records="the server's record of a signed-in browser",
        noun="sessions",
        clock=Clock.SESSION_EXPIRED,
        actions=(Action.DELETE,),
        default_action=Action.DELETE,
        default_days=0,
        due=_sessions_due,
        apply=_delete,
        scope=Scope.DEPLOYMENT,
        order=90,
    ),
]
