"""The record of processing a data protection officer needs, per scheme, built from the
scheme's configuration (its organisations, data sharing, retention schedule, messaging back
end) and from the models themselves (which fields hold what, which are encrypted at rest), so
it changes when they do. Law named as facts to design for; each scheme's data-sharing agreement
says who controls what."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models

from diversion.casework.models import AdvicePlan, Assessment, SafeguardingConcern
from diversion.core.fields import EncryptedTextField
from diversion.core.roles import Role
from diversion.messaging.models import Message
from diversion.people.models import Person
from diversion.referrals.models import DrugFound, Referral
from diversion.retention.schedules import EffectiveSchedule, schedules_for_scheme
from diversion.schemes.models import Scheme
from diversion.webhooks.models import WebhookSubscription


@dataclass(frozen=True)
class Category:
    name: str
    description: str
    special: str  # "" or which special category / criminal offence data it is
    fields: tuple[tuple[type[models.Model], tuple[str, ...]], ...]

    def field_names(self) -> list[str]:
        """The fields' own names in the models (a renamed or removed field fails loudly)."""
        names = []
        for model, field_names in self.fields:
            for name in field_names:
                field = model._meta.get_field(name)
                label = str(getattr(field, "verbose_name", name))
                encrypted = " (encrypted)" if isinstance(field, EncryptedTextField) else ""
                names.append(f"{model._meta.verbose_name}: {label}{encrypted}")
        return names


CATEGORIES = (
    Category(
        "Identity",
        "Who the person is, to find a repeat referral and to contact them",
        "",
        ((Person, ("given_name", "family_name", "date_of_birth", "police_person_id")),),
    ),
    Category(
        "Contact details",
        "How to reach the person, and their preferences",
        "",
        (
            (Person, ("mobile", "email", "preferred_language", "safe_to_text")),
            (Message, ("recipient",)),
        ),
    ),
    Category(
        "Sex and ethnicity",
        "Recorded for monitoring disproportionality",
        "Special category: racial or ethnic origin",
        ((Person, ("sex", "self_defined_ethnicity", "observed_ethnicity")),),
    ),
    Category(
        "Offence and disposal",
        "The possession offence, drugs found and the Community Resolution",
        "Criminal offence data",
        ((Referral, ("stopped_at", "how_found", "local_authority")), (DrugFound, ("drug",))),
    ),
    Category(
        "Health, drug and alcohol use",
        "The assessment, harm-reduction advice and safeguarding",
        "Special category: health",
        (
            (Assessment, ("answers", "audit_c_score", "risk_level")),
            (AdvicePlan, ("personal_note",)),
            (SafeguardingConcern, ("kinds",)),
        ),
    ),
    Category(
        "Messages",
        "What was sent to the person, when, and whether it arrived",
        "",
        ((Message, ("body", "subject", "calendar_invite", "status", "sent_at")),),
    ),
)

PURPOSES = (
    "Offering the person a diversion from prosecution and recording the Community Resolution "
    "(the force)",
    "Assessing the person, giving harm-reduction advice and running courses (the provider)",
    "Telling the force whether the person engaged, for its crime recording (the provider)",
    "Monitoring and evaluating the scheme from aggregate figures (the commissioner) and "
    "pseudonymised extracts (the evaluators)",
)

LAWFUL_BASES = (
    (
        "Police (force): law-enforcement processing",
        "Data Protection Act 2018 Part 3: section 35(2)(b) (necessary for a task carried out "
        "for law-enforcement purposes by a competent authority); sensitive processing under "
        "section 35(5) with a Schedule 8 condition and an appropriate policy document",
    ),
    (
        "Provider: health and support work",
        "UK GDPR Article 6(1)(e) (public task, under the commissioner's contract); Article 9(2)(h) "
        "(health or social care) with Data Protection Act 2018 Schedule 1 Part 1 paragraph 2; "
        "criminal offence data under Article 10 with a Schedule 1 condition",
    ),
    (
        "Commissioner and evaluators: monitoring and research",
        "UK GDPR Article 6(1)(e); Article 9(2)(j) with Article 89 safeguards (aggregates with "
        "small numbers suppressed; pseudonymised extracts) and Schedule 1 Part 1 paragraph 4",
    ),
)

TRANSFERS = (
    "None. Diversion sends personal data to no one outside the United Kingdom: its only "
    "outside service is GOV.UK Notify (messages), when the messaging back end is Notify."
)


@dataclass(frozen=True)
class Recipient:
    who: str
    role: str
    receives: str


@dataclass(frozen=True)
class ProcessingRecord:
    scheme: Scheme
    categories: tuple[Category, ...]
    purposes: tuple[str, ...]
    lawful_bases: tuple[tuple[str, str], ...]
    recipients: list[Recipient]
    retention: list[EffectiveSchedule]
    transfers: str
    security: list[str]


def _recipients(scheme: Scheme) -> list[Recipient]:
    hooks = WebhookSubscription.objects.filter(organisation=scheme.force, active=True).count()
    rows = [
        Recipient(
            scheme.force.name,
            "Police force",
            "the referral and Community Resolution; engagement outcomes and intelligence logs"
            + (
                f" (also by {hooks} signed webhook subscription{'s' * (hooks != 1)})"
                if hooks
                else ""
            ),
        ),
        Recipient(
            scheme.provider.name,
            "Provider",
            "the referral, contact details, assessment, advice and course records",
        ),
        Recipient(
            scheme.commissioner.name,
            "Commissioner",
            "aggregate figures only, small numbers suppressed; no names",
        ),
    ]
    rows += [
        Recipient(org.name, "Evaluator", "pseudonymised record-level extracts under agreement")
        for org in scheme.evaluators.order_by("name")
    ]
    rows += [
        Recipient(
            other.name,
            "Another scheme (data sharing)",
            "only whether a person referred here engaged, and the referral's date, at a stop",
        )
        for other in scheme.shares_engagement_with.order_by("name")
    ]
    if settings.MESSAGING_BACKEND == "notify":
        rows.append(
            Recipient("GOV.UK Notify", "Processor", "message recipients and wording, to send them")
        )
    return rows


def _security() -> list[str]:
    encrypted = sorted(
        f"{model._meta.verbose_name}: {field.verbose_name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    )
    return [
        f"Encrypted at rest with rotating keys ({len(encrypted)} fields): {', '.join(encrypted)}",
        "Looked up by keyed hashes (blind indexes), never by stored names",
        "Access by role and by scheme, checked on every page; "
        f"{len(Role.aggregate_only())} roles see aggregates or pseudonyms only",
        "Every read and change of a personal record audited in a hash-chained log "
        f"({getattr(settings, 'AUDIT_CHAINS', 16)} chains, signed checkpoints, "
        "`diversion audit verify`)",
        "Two-factor authentication for every user; sign-in locked after "
        f"{settings.AXES_FAILURE_LIMIT} failures; signed out after "
        f"{settings.SESSION_IDLE_TIMEOUT_SECONDS // 60} idle minutes",
        "Retention schedule applied every night by the background worker, respecting legal "
        "holds (this page's retention section)",
    ]


def processing_record(*, scheme: Scheme) -> ProcessingRecord:
    return ProcessingRecord(
        scheme=scheme,
        categories=CATEGORIES,
        purposes=PURPOSES,
        lawful_bases=LAWFUL_BASES,
        recipients=_recipients(scheme),
        retention=schedules_for_scheme(scheme_id=scheme.pk),
        transfers=TRANSFERS,
        security=_security(),
    )
