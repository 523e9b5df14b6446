"""Writes for the advice library (versioned) and the person's advice plan, and the summary of
the plan sent to the person with their consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import SYSTEM, Actor, audit_record
from diversion.casework.advice_library import STARTING_LIBRARY
from diversion.casework.errors import CaseworkError
from diversion.casework.models import (
    AdviceEntry,
    AdvicePlan,
    AdvicePlanItem,
    AdviceVersion,
    Assessment,
)
from diversion.casework.rules import ADVICE_TRIGGERS, advice_matches
from diversion.casework.selectors import advice_current_versions, facts_for
from diversion.messaging.models import Channel, Message
from diversion.messaging.selectors import person_channels
from diversion.messaging.services import message_create, messages_dispatch
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme

SUMMARY_TEMPLATE = "advice_summary"


def advice_library_seed(*, scheme: Scheme, now: dt.datetime | None = None) -> int:
    """Give a scheme with no library the starting one (version 1 of each entry)."""
    now = now or timezone.now()
    with transaction.atomic():
        if AdviceEntry.objects.filter(scheme=scheme).exists():
            return 0
        entries = AdviceEntry.objects.bulk_create(
            [AdviceEntry(scheme=scheme, key=key) for key in STARTING_LIBRARY]
        )
        by_key = {entry.key: entry for entry in AdviceEntry.objects.filter(scheme=scheme)}
        AdviceVersion.objects.bulk_create(
            [
                AdviceVersion(
                    entry=by_key[key],
                    number=1,
                    title=title,
                    body=body,
                    message_text=message,
                    triggers=triggers,
                    created_at=now,
                    change_note="Starting library",
                )
                for key, (title, triggers, body, message) in STARTING_LIBRARY.items()
            ]
        )
        audit_record(
            actor=SYSTEM,
            action=AuditAction.CREATE,
            object_type="casework.AdviceEntry",
            object_id=f"scheme {scheme.pk}",
            scheme=scheme,
            reason="starting advice library",
            changes={"entries": len(entries)},
        )
    return len(entries)


def advice_entry_save(
    *,
    actor: Actor,
    scheme: Scheme,
    key: str,
    title: str,
    body: str,
    message_text: str,
    triggers: Sequence[str],
    change_note: str = "",
    new: bool = False,
    now: dt.datetime | None = None,
) -> AdviceVersion:
    """Add a version of the entry `key` (creating the entry if new). Earlier versions stay as
    they were: plans that used them still show the words the person was given. A `new` entry
    may not take the key of one that exists."""
    now = now or timezone.now()
    unknown = set(triggers) - set(ADVICE_TRIGGERS)
    if not triggers or unknown:
        raise CaseworkError("Choose when this advice applies from the list.")
    with transaction.atomic():
        entry, created = AdviceEntry.objects.select_for_update(of=("self",)).get_or_create(
            scheme=scheme, key=key
        )
        if new and not created:
            raise CaseworkError(
                {"title": ["There is already advice with this title: edit that instead"]}
            )
        number = (entry.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = AdviceVersion.objects.create(
            entry=entry,
            number=number,
            title=title.strip(),
            body=body.strip(),
            message_text=message_text.strip(),
            triggers=sorted(set(triggers)),
            created_by=actor.user,
            created_at=now,
            change_note=change_note.strip(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=version,
            scheme=scheme,
            reason="advice entry added" if created else "advice entry edited: new version",
            changes={"entry": key, "version": number},
        )
    return version


def advice_plan_draft(
    *, actor: Actor, referral: Referral, now: dt.datetime | None = None
) -> AdvicePlan:
    """Draft the plan from the completed assessment: every current library entry whose
    triggers meet the assessment's facts. A plan already drafted is left alone."""
    now = now or timezone.now()
    existing = AdvicePlan.objects.filter(referral=referral).first()
    if existing is not None:
        return existing
    advice_library_seed(scheme=referral.scheme, now=now)
    assessment = Assessment.objects.get(referral=referral)
    facts = facts_for(assessment, referral)
    chosen = [
        v
        for v in advice_current_versions(scheme=referral.scheme)
        if advice_matches(v.triggers, facts)
    ]
    with transaction.atomic():
        plan = AdvicePlan.objects.create(
            referral=referral, drafted_at=now, updated_at=now, updated_by=actor.user
        )
        AdvicePlanItem.objects.bulk_create(
            [AdvicePlanItem(plan=plan, version=v, position=i) for i, v in enumerate(chosen)]
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=plan,
            scheme=referral.scheme,
            reason="advice plan drafted from the assessment",
            changes={"referral": referral.reference, "advice": [v.pk for v in chosen]},
        )
    return plan


def advice_plan_update(
    *,
    actor: Actor,
    referral: Referral,
    version_ids: Sequence[int],
    personal_note: str,
    now: dt.datetime | None = None,
) -> AdvicePlan:
    """The worker's edit: which advice is in the plan, and a personal note. Advice kept from
    before keeps the version it had; advice added uses the current version."""
    now = now or timezone.now()
    with transaction.atomic():
        plan = AdvicePlan.objects.select_for_update(of=("self",)).filter(referral=referral).first()
        if plan is None:
            raise CaseworkError("Complete the assessment first: the plan is drafted from it.")
        kept = {item.version_id for item in plan.items.all()}
        allowed = kept | {v.pk for v in advice_current_versions(scheme=referral.scheme)}
        wanted = list(dict.fromkeys(int(v) for v in version_ids))
        if not wanted or set(wanted) - allowed:
            raise CaseworkError("Choose at least one piece of advice from the library.")
        plan.items.all().delete()
        AdvicePlanItem.objects.bulk_create(
            [AdvicePlanItem(plan=plan, version_id=v, position=i) for i, v in enumerate(wanted)]
        )
        plan.personal_note = personal_note.strip()
        plan.updated_at, plan.updated_by = now, actor.user
        plan.save(update_fields=["personal_note", "updated_at", "updated_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=plan,
            scheme=referral.scheme,
            reason="advice plan edited",
            changes={"referral": referral.reference, "advice": wanted},
        )
    return plan


def summary_text(plan: AdvicePlan, *, given_name: str, provider: str) -> tuple[str, str, str]:
    """The summary's subject, email body and text message. The subject and first line say
    nothing a glance at a lock screen could give away."""
    tips = [item.version.message_text for item in plan.items.select_related("version")]
    lines = [
        f"Hello {given_name},",
        "",
        "Thank you for talking to us today. As agreed, here are the main points:",
        "",
    ]
    lines += [f"- {tip}" for tip in tips]
    if plan.personal_note:
        lines += ["", plan.personal_note]
    lines += ["", f"{provider}"]
    sms = f"Hi {given_name}, as agreed, the main points from today: " + " ".join(tips[:3])
    return "Your notes from today's call", "\n".join(lines), sms[:612]


def advice_summary_send(
    *, actor: Actor, referral: Referral, consent: bool, now: dt.datetime | None = None
) -> list[Message]:
    """Send the plan's summary to the person, only with their consent, once per plan version."""
    now = now or timezone.now()
    if not consent:
        raise CaseworkError("Confirm the person agreed to be sent the summary.")
    person = referral.person
    channels = person_channels(person=person)
    if not channels:
        raise CaseworkError(
            "The person has no way to receive messages: no email, and texts are not safe."
        )
    with transaction.atomic():
        plan = AdvicePlan.objects.select_for_update(of=("self",)).filter(referral=referral).first()
        if plan is None or not plan.items.exists():
            raise CaseworkError("There is no advice plan to send yet.")
        provider = referral.scheme.provider
        subject, email_body, sms = summary_text(
            plan, given_name=person.given_name, provider=provider.short_name or provider.name
        )
        created = []
        for channel, recipient in channels.items():
            message, new = message_create(
                person=person,
                referral=referral,
                template=SUMMARY_TEMPLATE,
                language="en",
                discreet=True,
                channel=channel,
                recipient=recipient,
                subject=subject if channel == Channel.EMAIL else "",
                body=email_body if channel == Channel.EMAIL else sms,
                sender_name=provider.short_name or provider.name,
                dedupe_key=f"{referral.pk}:{SUMMARY_TEMPLATE}:{channel}:{int(plan.updated_at.timestamp())}",
            )
            if new:
                created.append(message)
        plan.summary_consent, plan.summary_sent_at = True, now
        plan.save(update_fields=["summary_consent", "summary_sent_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=plan,
            scheme=referral.scheme,
            reason="advice summary sent with the person's consent",
            changes={"referral": referral.reference, "channels": sorted(channels)},
        )
        messages_dispatch(message_ids=[m.pk for m in created])
    return created
