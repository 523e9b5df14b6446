"""Demo casework: every demo referral that got past its assessment (assessed, course booked,
completed, referred on) gets a realistic assessment, advice plan, allocation and, for some,
onward referrals; each scheme gets its advice library, a directory of services and a
safeguarding lead. Generated from a seed, in bulk (a few seconds for thousands of referrals).

The answers follow the referral's drugs (nine in ten cannabis), with alcohol, mixing, mental
health and the occasional high-need person who is referred on to treatment instead of a course.
The rules that propose risk, advice and allocation are the product's own (`casework/rules.py`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone

from diversion.accounts.models import User
from diversion.casework.advice_services import advice_library_seed
from diversion.casework.models import (
    AdvicePlan,
    AdvicePlanItem,
    Allocation,
    Assessment,
    CaseworkSettings,
    OnwardReferral,
    OnwardService,
    OnwardStatus,
    SafeguardingConcern,
    ServiceKind,
)
from diversion.casework.questions import SECTION_ORDER, Section
from diversion.casework.rules import (
    STANDARD_ALLOCATION_RULES,
    advice_matches,
    age_on,
    allocation_propose,
    assessment_facts,
    risk_propose,
)
from diversion.casework.scoring import audit_band, audit_c_score, audit_more_score
from diversion.casework.selectors import advice_current_versions
from diversion.core.roles import Role
from diversion.referrals.lifecycle import ENGAGED, ReferralStatus
from diversion.referrals.models import DrugFound, Referral, StatusChange
from diversion.schemes.models import Scheme

# The officer's drug codes -> the assessment's.
FROM_OFFICER = {
    "cannabis": "cannabis",
    "cocaine": "cocaine",
    "crack": "crack",
    "heroin": "opioids",
    "ketamine": "ketamine",
    "mdma": "mdma",
    "amphetamine": "amphetamine",
    "spice": "synthetic_cannabinoids",
    "benzodiazepines": "benzodiazepines",
    "nitrous_oxide": "nitrous_oxide",
}
ROUTE_OF = {
    "cannabis": "smoked",
    "cocaine": "snorted",
    "crack": "smoked",
    "opioids": "smoked",
    "ketamine": "snorted",
    "mdma": "swallowed",
    "amphetamine": "snorted",
    "synthetic_cannabinoids": "smoked",
    "benzodiazepines": "swallowed",
    "nitrous_oxide": "inhaled",
}
SERVICES = [
    (ServiceKind.DRUG_TREATMENT, "Community drug and alcohol service", "0300 555 0101"),
    (ServiceKind.ALCOHOL, "Alcohol advice and treatment team", "0300 555 0102"),
    (ServiceKind.HOUSING, "Housing options (council)", "0300 555 0103"),
    (ServiceKind.CITIZENS_ADVICE, "Citizens Advice", "0800 144 8848"),
    (ServiceKind.MENTAL_HEALTH, "NHS Talking Therapies", "0300 555 0105"),
    (ServiceKind.YOUNG_PEOPLE, "Young people's substance misuse service", "0300 555 0106"),
    (ServiceKind.EMPLOYMENT, "Jobcentre Plus work coach referral", "0800 169 0190"),
    (ServiceKind.GAMBLING, "National Gambling Support Network", "0808 8020 133"),
]


def _answers(
    rng: random.Random, found: list[str], age: int
) -> tuple[dict[str, Any], list[int], list[int] | None]:
    used = list(dict.fromkeys(FROM_OFFICER.get(code, "other") for code in found)) or ["cannabis"]
    if rng.random() < 0.12 and "cocaine" not in used:
        used.append("cocaine")
    if rng.random() < 0.05:
        used.append(rng.choice(["ketamine", "mdma", "nitrous_oxide", "benzodiazepines"]))
    drinks = rng.random() < 0.7
    details: dict[str, dict[str, Any]] = {}
    for code in used:
        frequency = rng.choices(
            ["daily", "most_weeks", "weekly", "monthly", "rarely"], weights=[25, 25, 25, 15, 10]
        )[0]
        together = [c for c in used if c != code and rng.random() < 0.4]
        if drinks and (code in {"cocaine", "mdma", "ketamine"} or rng.random() < 0.2):
            together.append("alcohol")
        route = ROUTE_OF.get(code, "swallowed")
        if code == "opioids" and rng.random() < 0.4:
            route = "injected"
        details[code] = {
            "frequency": frequency,
            "routes": [route],
            "age_first": max(10, min(age, rng.randint(13, 22))),
            "with": together,
        }
    audit_c = [rng.randint(1, 3), rng.randint(0, 3), rng.randint(0, 3)] if drinks else [0, 0, 0]
    more = None
    if sum(audit_c) >= 5:
        more = [rng.choices([0, 1, 2, 3], weights=[50, 30, 15, 5])[0] for _ in range(5)]
        more += [rng.choices([0, 1, 2], weights=[80, 10, 10])[0] for _ in range(2)]
    injects = any("injected" in d["routes"] for d in details.values())
    health = {
        "mental_health": rng.choices(["no", "concerns", "diagnosed"], weights=[65, 25, 10])[0],
        "mental_health_notes": "",
        "physical_health": rng.choices(["no", "yes"], weights=[88, 12])[0],
        "physical_health_notes": "",
        "overdose": "last_year" if injects and rng.random() < 0.3 else "never",
        "injecting": "current" if injects else "never",
        "sharing": "yes" if injects and rng.random() < 0.2 else "no",
    }
    concern = rng.random() < 0.03
    safeguarding = {
        "concerns": [rng.choice(["exploitation", "county_lines", "modern_slavery"])]
        if concern
        else ["none"],
        "youth": (["older_associates"] if concern else ["none"]) if age < 18 else [],
        "notes": "",
    }
    answers = {
        "drugs": {"used": used, "details": details, "notes": ""},
        "alcohol": {"audit_c": audit_c},
        "health": health,
        "safeguarding": safeguarding,
    }
    if more is not None:
        answers["audit"] = {"answers": more}
    return answers, audit_c, more


def create_casework(*, seed: int = 2026) -> int:
    """Casework for every demo referral past its assessment. Returns how many assessments."""
    rng = random.Random(seed)
    now = timezone.now()
    count = 0
    for scheme in Scheme.objects.order_by("pk"):
        staff = list(
            User.objects.filter(
                organisation=scheme.provider, role__in=[Role.WORKER, Role.PROVIDER_MANAGER]
            ).order_by("pk")
        )
        workers = [u for u in staff if u.role == Role.WORKER] or staff
        if not workers:
            continue  # no provider staff in the demo for this scheme: nobody to see it
        count += _scheme_casework(rng, scheme, staff, workers, now)
    return count


def _scheme_casework(
    rng: random.Random, scheme: Scheme, staff: list[User], workers: list[User], now: dt.datetime
) -> int:
    managers = [u for u in staff if u.role == Role.PROVIDER_MANAGER]
    CaseworkSettings.objects.get_or_create(
        scheme=scheme, defaults={"safeguarding_lead": (managers or workers)[0]}
    )
    lead = (managers or workers)[0]
    advice_library_seed(scheme=scheme, now=now)
    library = advice_current_versions(scheme=scheme)
    services = {
        kind: OnwardService.objects.get_or_create(
            scheme=scheme, name=name, defaults={"kind": kind, "contact": contact}
        )[0]
        for kind, name, contact in SERVICES
    }
    course_types = list(scheme.course_types.order_by("pk"))
    referrals = list(
        Referral.objects.filter(scheme=scheme, status__in=ENGAGED, assessment__isnull=True)
        .select_related("person")
        .only("pk", "scheme_id", "status", "status_changed_at", "person__date_of_birth")
        .order_by("pk")
    )
    ids = [r.pk for r in referrals]
    drugs: dict[int, list[str]] = defaultdict(list)
    for referral_id, drug in DrugFound.objects.filter(referral_id__in=ids).values_list(
        "referral_id", "drug"
    ):
        drugs[referral_id].append(drug)
    assessed_at = dict(
        StatusChange.objects.filter(
            referral_id__in=ids, to_status=ReferralStatus.ASSESSED
        ).values_list("referral_id", "changed_at")
    )
    assessments, plans, allocations, onward, concerns = [], [], [], [], []
    plan_versions: dict[int, list[int]] = {}
    sections = [s.value for s in SECTION_ORDER]
    for referral in referrals:
        when = assessed_at.get(referral.pk, referral.status_changed_at)
        age = age_on(referral.person.date_of_birth, when.date())
        answers, audit_c, more = _answers(rng, drugs[referral.pk], age)
        c_score = audit_c_score(audit_c)
        score = c_score + audit_more_score(more) if more is not None else None
        band = audit_band(score) if score is not None else ""
        facts = assessment_facts(answers, audit_c_score=c_score, audit_band=band, age=age)
        proposed = risk_propose(facts).level
        risk = proposed
        if referral.status == ReferralStatus.ONWARD_ONLY:
            risk = "high"
        worker = rng.choice(workers)
        done = [s for s in sections if s != Section.AUDIT or more is not None]
        done += [f"drug-{code}" for code in answers["drugs"]["used"]]
        assessments.append(
            Assessment(
                referral=referral,
                worker=worker,
                answers=answers,
                sections_done=done,
                audit_c_score=c_score,
                audit_score=score,
                audit_band=band,
                proposed_risk=proposed,
                risk_level=risk,
                risk_change_reason="" if risk == proposed else "Worried about how much they use",
                started_at=when - dt.timedelta(minutes=40),
                updated_at=when,
                completed_at=when,
            )
        )
        facts = assessment_facts(
            answers, audit_c_score=c_score, audit_band=band, age=age, risk_level=risk
        )
        plans.append(
            AdvicePlan(referral=referral, drafted_at=when, updated_at=when, updated_by=worker)
        )
        plan_versions[referral.pk] = [v.pk for v in library if advice_matches(v.triggers, facts)]
        proposal = allocation_propose(
            facts, rules=STANDARD_ALLOCATION_RULES, course_types=course_types
        )
        allocation = Allocation(
            referral=referral,
            proposed_course_type=proposal.course_type,
            proposed_onward_only=proposal.onward_only,
            proposed_reason=proposal.reason,
        )
        if referral.status == ReferralStatus.ONWARD_ONLY:
            allocation.onward_only, allocation.decided_by, allocation.decided_at = (
                True,
                worker,
                when,
            )
            if not proposal.onward_only:
                allocation.change_reason = "Needs structured treatment first"
        elif referral.status != ReferralStatus.ASSESSED or rng.random() < 0.5:
            chosen = proposal.course_type or (course_types[0] if course_types else None)
            allocation.course_type, allocation.decided_by, allocation.decided_at = (
                chosen,
                worker,
                when,
            )
            if proposal.onward_only:
                allocation.change_reason = "The person wants the course; treatment offered too"
        allocations.append(allocation)
        kinds = []
        if referral.status == ReferralStatus.ONWARD_ONLY or "injecting:current" in facts:
            kinds.append(ServiceKind.DRUG_TREATMENT)
        if band in {"higher", "dependence"}:
            kinds.append(ServiceKind.ALCOHOL)
        if "mental_health" in facts and rng.random() < 0.3:
            kinds.append(ServiceKind.MENTAL_HEALTH)
        if rng.random() < 0.05:
            kinds.append(
                rng.choice(
                    [ServiceKind.HOUSING, ServiceKind.CITIZENS_ADVICE, ServiceKind.EMPLOYMENT]
                )
            )
        if age < 18 and rng.random() < 0.5:
            kinds.append(ServiceKind.YOUNG_PEOPLE)
        for kind in dict.fromkeys(kinds):
            age_days = (now - when).days
            status = (
                rng.choice([OnwardStatus.ATTENDED, OnwardStatus.ACCEPTED, OnwardStatus.DECLINED])
                if age_days > 21
                else OnwardStatus.MADE
            )
            onward.append(
                OnwardReferral(
                    referral=referral,
                    service=services[kind],
                    status=status,
                    consent=True,
                    follow_up_on=(when + dt.timedelta(days=14)).date(),
                    made_by=worker,
                    made_at=when,
                    status_changed_at=when + dt.timedelta(days=min(age_days, 10)),
                )
            )
        if "safeguarding" in facts:
            kinds_seen = [
                k
                for k in [*answers["safeguarding"]["concerns"], *answers["safeguarding"]["youth"]]
                if k != "none"
            ]
            concerns.append(
                SafeguardingConcern(
                    referral=referral,
                    scheme=scheme,
                    kinds=kinds_seen,
                    raised_by=worker,
                    raised_at=when,
                    lead=lead,
                    acknowledged_by=lead if (now - when).days > 2 else None,
                    acknowledged_at=when + dt.timedelta(hours=3) if (now - when).days > 2 else None,
                )
            )
    Assessment.objects.bulk_create(assessments, batch_size=500)
    AdvicePlan.objects.bulk_create(plans, batch_size=500)
    plan_ids = dict(AdvicePlan.objects.filter(referral_id__in=ids).values_list("referral_id", "pk"))
    AdvicePlanItem.objects.bulk_create(
        [
            AdvicePlanItem(plan_id=plan_ids[referral_id], version_id=version_id, position=i)
            for referral_id, versions in plan_versions.items()
            for i, version_id in enumerate(versions)
        ],
        batch_size=1000,
    )
    Allocation.objects.bulk_create(allocations, batch_size=500)
    OnwardReferral.objects.bulk_create(onward, batch_size=500)
    SafeguardingConcern.objects.bulk_create(concerns, batch_size=500)
    return len(assessments)
