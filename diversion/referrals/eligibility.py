"""Whether a person stopped with drugs may be offered diversion, decided from the scheme's policy.

`eligibility_decide` is pure (no database, no clock, no locale) so that the decision shown to the
officer, the one stored with the referral and the one a test checks are the same. The rules are
one table evaluated in order; every failing rule gives its reason, so the officer sees them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from diversion.schemes.policy import (
    ADULT_AGE,
    AGE_OF_CRIMINAL_RESPONSIBILITY,
    DRUG_CLASSES,
    EXCLUSIONS,
    SUPPLY_INDICATORS,
)

if TYPE_CHECKING:
    from diversion.schemes.models import Scheme

# Bump when a rule changes meaning, so a stored decision says which rules produced it.
# 2: supply is the officer's judgement; the bar crosses schemes that share (decision 0016).
RULES_VERSION = 2

__all__ = ["SUPPLY_INDICATORS"]


@dataclass(frozen=True)
class OtherOffence:
    label: str
    exclusion: str | None = None  # the EXCLUSIONS code a scheme may choose to exclude it by
    disqualifies: bool = False  # never eligible, whatever the scheme says


OTHER_OFFENCES: dict[str, OtherOffence] = {
    "supply": OtherOffence("supply", disqualifies=True),
    "intent_to_supply": OtherOffence("possession with intent to supply", disqualifies=True),
    "production": OtherOffence("production or cultivation", disqualifies=True),
    "dealing": OtherOffence("being concerned in supply (dealing)", disqualifies=True),
    "violence": OtherOffence("violence", exclusion="violence_at_same_time"),
    "weapon": OtherOffence("carrying a weapon", exclusion="weapon_at_same_time"),
    "drug_driving": OtherOffence("drug driving", exclusion="drug_driving"),
    "theft": OtherOffence("theft or shoplifting"),
    "criminal_damage": OtherOffence("criminal damage"),
    "public_order": OtherOffence("a public order offence"),
    "obstruction": OtherOffence("obstructing a drugs search"),
}

Outcome = Literal["engaged", "not_engaged", "in_progress", "withdrawn"]
OUTCOMES: frozenset[str] = frozenset({"engaged", "not_engaged", "in_progress", "withdrawn"})

# What the officer should do instead, by reason code; EXCLUSIONS codes fall back to "excluded".
WHAT_TO_DO_INSTEAD: dict[str, str] = {
    "no_drug_recorded": "Record each drug found and its class, then check again.",
    "drug_class_not_accepted": "Deal with it under force policy: this scheme does not cover it.",
    "supply": (
        "Deal with this as a possible supply offence under force policy; do not offer diversion."
    ),
    "supply_indicator_refused": (
        "Deal with this as a possible supply offence under force policy; do not offer diversion."
    ),
    "supply_question_unanswered": (
        "Answer “Do you suspect intent to supply?” with your reason, then check again."
    ),
    "supply_reason_missing": (
        "Give your reason for not suspecting intent to supply, then check again."
    ),
    "identity_to_confirm": (
        "Confirm the person's identity with them, answer the question below, then check again."
    ),
    "outside_area": (
        "Refer to the scheme for the area where the drugs were found, "
        "or deal with it under force policy."
    ),
    "under_age_of_criminal_responsibility": "Make a safeguarding referral under force policy.",
    "young_people_not_accepted": "Deal with it under force policy for young people.",
    "below_youth_minimum_age": "Deal with it under force policy for young people.",
    "appropriate_adult_absent": "Ask a parent, guardian or other responsible adult to join you.",
    "class_a_under_18": "Refer to the youth offending service under force policy.",
    "excluded": "Deal with it under force policy.",
    "did_not_engage": "Deal with it under force policy; do not offer diversion.",
}

# Not strftime("%B"): that follows the server's locale.
_MONTHS = "January February March April May June July August September October November December"


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Completed years; someone born on 29 February turns a year older on 1 March in other years."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


class Drug(NamedTuple):
    name: str
    drug_class: str


@dataclass(frozen=True)
class EligibilityPolicy:
    scheme_code: str
    eligible_drug_classes: frozenset[str]
    local_authority_ids: frozenset[int]
    excluded_circumstances: frozenset[str] = frozenset()
    accepts_young_people: bool = True
    youth_minimum_age: int = AGE_OF_CRIMINAL_RESPONSIBILITY
    policy_version: int = 1
    automatic_supply_refusals: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _require_known("drug class", self.eligible_drug_classes, DRUG_CLASSES)
        _require_known("exclusion", self.excluded_circumstances, EXCLUSIONS)
        _require_known("supply indicator", self.automatic_supply_refusals, SUPPLY_INDICATORS)
        if not AGE_OF_CRIMINAL_RESPONSIBILITY <= self.youth_minimum_age < ADULT_AGE:
            raise ValueError(f"Youth minimum age out of range: {self.youth_minimum_age}")

    @classmethod
    def from_scheme(cls, scheme: Scheme) -> EligibilityPolicy:
        return cls(
            scheme_code=scheme.code,
            eligible_drug_classes=frozenset(scheme.eligible_drug_classes),
            local_authority_ids=frozenset(scheme.local_authorities.values_list("pk", flat=True)),
            excluded_circumstances=frozenset(scheme.excluded_circumstances),
            accepts_young_people=scheme.accepts_young_people,
            youth_minimum_age=scheme.youth_minimum_age,
            policy_version=scheme.policy_version,
            automatic_supply_refusals=frozenset(scheme.automatic_supply_refusals),
        )


@dataclass(frozen=True)
class StopFacts:
    date_of_birth: dt.date
    stopped_on: dt.date
    local_authority_id: int
    drugs: tuple[Drug, ...]
    supply_indicators: tuple[str, ...] = ()
    other_offences: tuple[str, ...] = ()
    circumstances: frozenset[str] = frozenset()
    appropriate_adult_present: bool = False
    # The officer's judgement, asked whenever an indicator is found: None until answered.
    supply_suspected: bool | None = None
    supply_reason: str = ""
    # The officer's answer, after checking with the person, to "is this the person another
    # scheme referred?" ("same", "different"; "" not asked or not answered).
    identity_answer: str = ""

    def __post_init__(self) -> None:
        if self.date_of_birth > self.stopped_on:
            raise ValueError("The date of birth is after the stop")
        _require_known("drug class", [drug.drug_class for drug in self.drugs], DRUG_CLASSES)
        _require_known("supply indicator", self.supply_indicators, SUPPLY_INDICATORS)
        _require_known("other offence", self.other_offences, OTHER_OFFENCES)
        _require_known("circumstance", self.circumstances, EXCLUSIONS)

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, self.stopped_on)


@dataclass(frozen=True)
class PriorReferral:
    reference: str
    referred_on: dt.date
    outcome: Outcome
    # Made by another scheme that shares the fact: only the date and outcome are known here.
    other_scheme: bool = False

    def __post_init__(self) -> None:
        _require_known("outcome", [self.outcome], OUTCOMES)
        if self.other_scheme and self.reference:
            raise ValueError("Another scheme's reference never crosses the border")

    @property
    def date(self) -> str:
        day = self.referred_on
        return f"{day.day} {_MONTHS.split()[day.month - 1]} {day.year}"

    @property
    def month(self) -> str:
        return f"{_MONTHS.split()[self.referred_on.month - 1]} {self.referred_on.year}"


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class Note:
    code: str
    message: str


@dataclass(frozen=True)
class EligibilityDecision:
    scheme_code: str
    policy_version: int
    reasons: tuple[Reason, ...] = ()
    notes: tuple[Note, ...] = ()

    @property
    def eligible(self) -> bool:
        """Derived, never stored apart from the reasons, so the two cannot disagree."""
        return not self.reasons

    @property
    def what_to_do_instead(self) -> str:
        default = WHAT_TO_DO_INSTEAD["excluded"]
        advice = (WHAT_TO_DO_INSTEAD.get(reason.code, default) for reason in self.reasons)
        return "\n".join(dict.fromkeys(advice))

    def as_record(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "reasons": [{"code": r.code, "message": r.message} for r in self.reasons],
            "notes": [{"code": n.code, "message": n.message} for n in self.notes],
            "what_to_do_instead": self.what_to_do_instead,
            "scheme_code": self.scheme_code,
            "policy_version": self.policy_version,
            "rules_version": RULES_VERSION,
        }


def _require_known(kind: str, codes: Iterable[str], known: Iterable[str]) -> None:
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise ValueError(f"Unknown {kind}: {', '.join(map(str, unknown))}")


@dataclass(frozen=True)
class _Case:
    policy: EligibilityPolicy
    stop: StopFacts
    history: Sequence[PriorReferral]
    to_confirm: Sequence[PriorReferral] = ()


Finding = Reason | Note


def _drugs_recorded(case: _Case) -> Iterator[Finding]:
    if not case.stop.drugs:
        yield Reason("no_drug_recorded", "No drug is recorded. Diversion is for drugs found.")


def _drug_classes_accepted(case: _Case) -> Iterator[Finding]:
    for drug_class in sorted({d.drug_class for d in case.stop.drugs}):
        if drug_class not in case.policy.eligible_drug_classes:
            names = ", ".join(d.name for d in case.stop.drugs if d.drug_class == drug_class)
            message = f"This scheme does not cover Class {drug_class} drugs ({names})."
            yield Reason("drug_class_not_accepted", message)


def _no_supply(case: _Case) -> Iterator[Finding]:
    """Indicators inform the officer's judgement; the judgement decides. Only indicators the
    scheme lists as automatic refusals refuse on their own (decision 0016)."""
    stop = case.stop
    found = stop.supply_indicators
    signs = [label for code, label in SUPPLY_INDICATORS.items() if code in found]
    automatic = [
        label
        for code, label in SUPPLY_INDICATORS.items()
        if code in found and code in case.policy.automatic_supply_refusals
    ]
    if automatic:
        message = f"This scheme never offers diversion when it finds {', '.join(automatic)}."
        yield Reason("supply_indicator_refused", message)
    if stop.supply_suspected:
        yield Reason(
            "supply",
            "You suspect intent to supply. Diversion is for personal possession only.",
        )
    elif signs and stop.supply_suspected is None:
        message = (
            f"Indicators found: {', '.join(signs)}. "
            "Answer “Do you suspect intent to supply?” with your reason."
        )
        yield Reason("supply_question_unanswered", message)
    elif signs and not stop.supply_reason.strip():
        yield Reason(
            "supply_reason_missing",
            "Give your reason for not suspecting intent to supply.",
        )
    elif signs:
        message = (
            f"Indicators found ({', '.join(signs)}), but you do not suspect intent to supply. "
            "Your reason is recorded for supervisors."
        )
        yield Note("supply_not_suspected", message)
    offences = [
        o.label
        for code, o in OTHER_OFFENCES.items()
        if o.disqualifies and code in case.stop.other_offences
    ]
    if offences:
        message = f"Suspected {', '.join(offences)}. Diversion is for personal possession only."
        yield Reason("supply", message)


def _within_area(case: _Case) -> Iterator[Finding]:
    if case.stop.local_authority_id not in case.policy.local_authority_ids:
        yield Reason("outside_area", "The drugs were found outside this scheme's area.")


def _old_enough(case: _Case) -> Iterator[Finding]:
    if case.stop.age < AGE_OF_CRIMINAL_RESPONSIBILITY:
        yield Reason(
            "under_age_of_criminal_responsibility",
            f"The person is {case.stop.age}: under 10, the age of criminal responsibility.",
        )


def _young_person(case: _Case) -> Iterator[Finding]:
    age, policy = case.stop.age, case.policy
    if not AGE_OF_CRIMINAL_RESPONSIBILITY <= age < ADULT_AGE:
        return
    if not policy.accepts_young_people:
        message = f"The person is {age}. This scheme does not accept people under 18."
        yield Reason("young_people_not_accepted", message)
    elif age < policy.youth_minimum_age:
        message = (
            f"The person is {age}. This scheme accepts people from {policy.youth_minimum_age}."
        )
        yield Reason("below_youth_minimum_age", message)
    if not case.stop.appropriate_adult_present:
        message = f"The person is {age}: anyone under 18 needs an appropriate adult present."
        yield Reason("appropriate_adult_absent", message)


def _scheme_exclusions(case: _Case) -> Iterator[Finding]:
    stop, excluded = case.stop, case.policy.excluded_circumstances
    applying = set(stop.circumstances)
    for code in stop.other_offences:
        offence = OTHER_OFFENCES[code]
        if offence.exclusion in excluded:
            applying.add(offence.exclusion)
        elif not offence.disqualifies:
            message = f"Deal with {offence.label} separately under force policy."
            yield Note("other_offence", message)
    young = AGE_OF_CRIMINAL_RESPONSIBILITY <= stop.age < ADULT_AGE
    if young and any(drug.drug_class == "A" for drug in stop.drugs):
        applying.add("class_a_under_18")
    for code in EXCLUSIONS:
        if code in applying and code in excluded:
            yield Reason(code, f"This scheme does not offer diversion for: {EXCLUSIONS[code]}.")


def _engagement_history(case: _Case) -> Iterator[Finding]:
    answer = case.stop.identity_answer
    if case.to_confirm and answer not in {"same", "different"}:
        yield Reason(
            "identity_to_confirm",
            "Another scheme may have referred this person before. Check their full name and "
            "date of birth with them and say whether it is the same person.",
        )
    if answer and not case.to_confirm:
        yield Note(
            "identity_check_not_used",
            "The possible match in another scheme no longer applies (it is no longer shared "
            "with this scheme, or the details changed), so your answer about it was not used.",
        )
    confirmed = list(case.to_confirm) if answer == "same" else []
    yield from history_findings([*case.history, *confirmed])


def history_findings(history: Iterable[PriorReferral]) -> Iterator[Finding]:
    """The engagement-history rule on its own: what the officer sees as soon as the person's
    name and date of birth are in, before the stop is recorded."""
    history = sorted(history, key=lambda p: (p.referred_on, p.reference, p.outcome))
    for prior in history:
        if prior.other_scheme:
            if prior.outcome in {"engaged", "not_engaged"}:
                said = "engaged" if prior.outcome == "engaged" else "did not engage"
                code = "did_not_engage" if prior.outcome == "not_engaged" else "engaged_elsewhere"
                message = f"Referred by another scheme on {prior.date}: {said}"
                if prior.outcome == "not_engaged":
                    yield Reason(code, f"{message}. Not eligible for diversion again")
                else:
                    yield Note(code, message)
            continue
        if prior.outcome == "not_engaged":
            yield Reason(
                "did_not_engage",
                f"Did not engage after referral {prior.reference} in {prior.month}: "
                "not eligible for diversion again",
            )
        elif prior.outcome == "in_progress":
            yield Note(
                "referral_in_progress",
                f"Referral {prior.reference} from {prior.month} is still in progress: "
                "engagement is not yet known.",
            )
    outcomes = {prior.outcome for prior in history} - {"withdrawn", "in_progress"}
    if outcomes == {"engaged"}:
        engaged = sum(prior.outcome == "engaged" for prior in history)
        each = "engaged" if engaged == 1 else "engaged each time"
        yield Note("engaged_before", f"Previous referrals: {engaged}, {each}")


@dataclass(frozen=True)
class Rule:
    name: str
    check: Callable[[_Case], Iterator[Finding]]


RULES: tuple[Rule, ...] = (
    Rule("at least the age of criminal responsibility", _old_enough),
    Rule("at least one drug is recorded", _drugs_recorded),
    Rule("each drug's class is one the scheme accepts", _drug_classes_accepted),
    Rule("no supply, intent to supply, production or dealing", _no_supply),
    Rule("found inside the scheme's area", _within_area),
    Rule("under 18s: accepted by the scheme, with an appropriate adult", _young_person),
    Rule("none of the scheme's own exclusions applies", _scheme_exclusions),
    Rule("engaged after every earlier referral", _engagement_history),
)


def eligibility_decide(
    *,
    policy: EligibilityPolicy,
    stop: StopFacts,
    history: Sequence[PriorReferral],
    to_confirm: Sequence[PriorReferral] = (),
) -> EligibilityDecision:
    """Every rule runs, so the officer sees all the reasons at once, not one per attempt.

    `history` is what is certainly this person's (their scheme's and, where shared, other
    schemes' facts); `to_confirm` the shared facts of a possible match in another scheme, used
    only when the officer answers that it is the same person (`stop.identity_answer`)."""
    case = _Case(policy=policy, stop=stop, history=history, to_confirm=to_confirm)
    findings = [finding for rule in RULES for finding in rule.check(case)]
    return EligibilityDecision(
        scheme_code=policy.scheme_code,
        policy_version=policy.policy_version,
        reasons=tuple(f for f in findings if isinstance(f, Reason)),
        notes=tuple(f for f in findings if isinstance(f, Note)),
    )
