"""Demo eligibility decisions: one for every demo referral (eligible) and the refusals made at
stops that went no further, from a seed, so the refusal figures have something to show.

About one stop in ten is refused. The reasons follow what officers meet (supply suspected is
the commonest, then earlier non-engagement, then the area and age rules). The demo makes the
officer's suspicion of supply half as likely again when the person is seen as Black (IC3): a
made-up gap, there so that the disproportionality section has one to find, as a real scheme
that refused Black people more often must see it. Loaded history: bulk rows, no audit rows,
like the demo referrals' own history.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from diversion.accounts.models import User
from diversion.core.roles import Role
from diversion.referrals.choices import age_band
from diversion.referrals.eligibility import RULES_VERSION, WHAT_TO_DO_INSTEAD, age_on
from diversion.referrals.models import EligibilityRecord, Referral
from diversion.schemes.models import Scheme
from diversion.synthetic.mixes import ETHNICITY

REFUSAL_RATE = 0.10
# (reason code, message, weight)
REASONS: list[tuple[str, str, int]] = [
    ("supply", "You suspect intent to supply. Diversion is for personal possession only.", 34),
    ("did_not_engage", "Did not engage after an earlier referral: not eligible again", 22),
    ("outside_area", "The drugs were found outside this scheme's area.", 10),
    ("appropriate_adult_absent", "Anyone under 18 needs an appropriate adult present.", 8),
    ("violence_at_same_time", "This scheme does not offer diversion for violence.", 8),
    ("on_bail_or_licence", "This scheme does not offer diversion on bail or licence.", 6),
    ("drug_class_not_accepted", "This scheme does not cover this class of drug.", 6),
    ("supply_indicator_refused", "This scheme never offers diversion for this indicator.", 6),
]
# How much likelier an officer's suspicion of supply is, by observed ethnicity (demo only).
SUPPLY_SUSPICION = {"IC3": 1.5}


def _record(
    *,
    scheme: Scheme,
    officer: User,
    decided_at: dt.datetime,
    local_authority_id: int,
    date_of_birth: dt.date,
    sex: str,
    self_defined: str,
    observed: str,
    reasons: list[tuple[str, str]],
    token: str,
    referral: Referral | None = None,
) -> EligibilityRecord:
    decision: dict[str, Any] = {
        "eligible": not reasons,
        "reasons": [{"code": code, "message": message} for code, message in reasons],
        "notes": [],
        "what_to_do_instead": "\n".join(
            dict.fromkeys(
                WHAT_TO_DO_INSTEAD.get(c, WHAT_TO_DO_INSTEAD["excluded"]) for c, _ in reasons
            )
        ),
        "scheme_code": scheme.code,
        "policy_version": scheme.policy_version,
        "rules_version": RULES_VERSION,
    }
    suspected = any(code == "supply" for code, _ in reasons)
    return EligibilityRecord(
        scheme=scheme,
        officer=officer,
        decided_at=decided_at,
        stopped_at=decided_at,
        local_authority_id=local_authority_id,
        eligible=not reasons,
        reason_codes=sorted({code for code, _ in reasons}),
        decision=decision,
        age_band=age_band(age_on(date_of_birth, decided_at.date())),
        sex=sex,
        self_defined_ethnicity=self_defined,
        observed_ethnicity=observed,
        supply_indicators=["cash", "deal_bags"] if suspected else [],
        supply_suspected=True if suspected else None,
        supply_reason="Demo: several wraps and cash" if suspected else "",
        stop_token=token,
        referral=referral,
    )


def create_refusals(*, seed: int = 2015) -> int:
    """Decisions for the demo's referrals, and refusals around them. Returns how many refused."""
    rng = random.Random(seed)
    refused = 0
    for scheme in Scheme.objects.order_by("code"):
        officers = list(User.objects.filter(organisation=scheme.force, role=Role.OFFICER))
        areas = list(scheme.local_authorities.values_list("pk", flat=True))
        records: list[EligibilityRecord] = []
        referrals = (
            Referral.objects.filter(scheme=scheme, eligibility_record__isnull=True)
            .select_related("person")
            .order_by("pk")
        )
        for referral in referrals.iterator():
            person = referral.person
            records.append(
                _record(
                    scheme=scheme,
                    officer=referral.officer,
                    decided_at=referral.stopped_at,
                    local_authority_id=referral.local_authority_id,
                    date_of_birth=person.date_of_birth,
                    sex=person.sex,
                    self_defined=person.self_defined_ethnicity_id,
                    observed=person.observed_ethnicity_id,
                    reasons=[],
                    token=f"demo-{referral.idempotency_key}",
                    referral=referral,
                )
            )
            if rng.random() >= REFUSAL_RATE / (1 - REFUSAL_RATE):
                continue
            code, observed, _weight = rng.choices(ETHNICITY, weights=[e[2] for e in ETHNICITY])[0]
            weights = [
                w * (SUPPLY_SUSPICION.get(observed, 1.0) if c == "supply" else 1.0)
                for c, _m, w in REASONS
            ]
            reason_code, message, _w = rng.choices(REASONS, weights=weights)[0]
            young = reason_code == "appropriate_adult_absent"
            age = rng.randint(14, 17) if young else rng.randint(18, 50)
            when = referral.stopped_at + dt.timedelta(hours=rng.randint(1, 72))
            if when > timezone.now():
                continue
            records.append(
                _record(
                    scheme=scheme,
                    officer=rng.choice(officers),
                    decided_at=when,
                    local_authority_id=rng.choice(areas),
                    date_of_birth=when.date() - dt.timedelta(days=age * 365 + rng.randint(0, 300)),
                    sex=rng.choices(["male", "female"], weights=[85, 15])[0],
                    self_defined=code,
                    observed=observed,
                    reasons=[(reason_code, message)],
                    token=f"demo-refusal-{scheme.code}-{rng.getrandbits(64):016x}",
                )
            )
            refused += 1
        EligibilityRecord.objects.bulk_create(records, batch_size=2000)
    return refused
