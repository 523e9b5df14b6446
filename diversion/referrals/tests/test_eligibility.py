from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diversion.referrals.eligibility import (
    OTHER_OFFENCES,
    OUTCOMES,
    RULES_VERSION,
    SUPPLY_INDICATORS,
    Drug,
    EligibilityDecision,
    EligibilityPolicy,
    PriorReferral,
    StopFacts,
    age_on,
    eligibility_decide,
)
from diversion.schemes.models import Scheme
from diversion.schemes.policy import DRUG_CLASSES, EXCLUSIONS

AREA, ELSEWHERE = 1, 99
STOP_DAY = dt.date(2025, 6, 15)
CANNABIS = Drug("cannabis", "B")
COCAINE = Drug("cocaine", "A")
DIAZEPAM = Drug("diazepam", "C")

POLICY = EligibilityPolicy(
    scheme_code="WM",
    eligible_drug_classes=frozenset({"A", "B", "C"}),
    local_authority_ids=frozenset({AREA}),
    policy_version=3,
)
ADULT_STOP = StopFacts(
    date_of_birth=dt.date(1990, 5, 1),
    stopped_on=STOP_DAY,
    local_authority_id=AREA,
    drugs=(CANNABIS,),
)
DISQUALIFYING_OFFENCES = sorted(code for code, o in OTHER_OFFENCES.items() if o.disqualifies)


def decide(
    policy: EligibilityPolicy = POLICY,
    stop: StopFacts = ADULT_STOP,
    history: tuple[PriorReferral, ...] = (),
) -> EligibilityDecision:
    return eligibility_decide(policy=policy, stop=stop, history=history)


def codes(decision: EligibilityDecision) -> list[str]:
    return [reason.code for reason in decision.reasons]


def born_years_before(years: int, day: dt.date, *, days_later: int = 0) -> dt.date:
    return day.replace(year=day.year - years) + dt.timedelta(days=days_later)


def prior(outcome: Any, reference: str = "WM-7K3Q-92", on: dt.date = dt.date(2025, 3, 4)) -> Any:
    return PriorReferral(reference=reference, referred_on=on, outcome=outcome)


# Examples, one group per rule.


def test_an_adult_with_cannabis_in_the_area_is_eligible_with_nothing_to_do_instead() -> None:
    decision = decide()
    assert decision.eligible
    assert decision.reasons == ()
    assert decision.notes == ()
    assert decision.what_to_do_instead == ""


def test_a_stop_with_no_drug_recorded_is_not_eligible() -> None:
    assert codes(decide(stop=replace(ADULT_STOP, drugs=()))) == ["no_drug_recorded"]


def test_a_drug_of_a_class_the_scheme_does_not_cover_is_named_in_the_reason() -> None:
    policy = replace(POLICY, eligible_drug_classes=frozenset({"B"}))
    decision = decide(policy, replace(ADULT_STOP, drugs=(CANNABIS, COCAINE, DIAZEPAM)))
    assert [r.message for r in decision.reasons] == [
        "This scheme does not cover Class A drugs (cocaine).",
        "This scheme does not cover Class C drugs (diazepam).",
    ]


@pytest.mark.parametrize("indicator", sorted(SUPPLY_INDICATORS))
def test_one_indicator_without_suspicion_is_allowed_and_the_judgement_is_noted(
    indicator: str,
) -> None:
    """The scheme excludes people the officer suspects of intending to supply: an indicator
    informs that judgement, it is not the judgement (issue 15, decision 0016)."""
    stop = replace(
        ADULT_STOP,
        supply_indicators=(indicator,),
        supply_suspected=False,
        supply_reason="Cash from today's wages; one small bag for himself",
    )
    decision = decide(stop=stop)
    assert decision.eligible
    assert [note.code for note in decision.notes] == ["supply_not_suspected"]
    assert SUPPLY_INDICATORS[indicator] in decision.notes[0].message


@pytest.mark.parametrize("indicator", sorted(SUPPLY_INDICATORS))
def test_an_indicator_with_no_answer_to_the_question_is_not_yet_eligible(indicator: str) -> None:
    decision = decide(stop=replace(ADULT_STOP, supply_indicators=(indicator,)))
    assert codes(decision) == ["supply_question_unanswered"]
    assert "Do you suspect intent to supply?" in decision.reasons[0].message


def test_no_suspicion_without_a_reason_is_not_yet_eligible() -> None:
    stop = replace(
        ADULT_STOP, supply_indicators=("cash",), supply_suspected=False, supply_reason="  "
    )
    assert codes(decide(stop=stop)) == ["supply_reason_missing"]


@pytest.mark.parametrize("indicators", [(), ("scales",), ("cash", "multiple_phones")])
def test_suspected_intent_to_supply_refuses_with_what_to_do_instead(
    indicators: tuple[str, ...],
) -> None:
    stop = replace(
        ADULT_STOP,
        supply_indicators=indicators,
        supply_suspected=True,
        supply_reason="Twelve wraps and a list of names",
    )
    decision = decide(stop=stop)
    assert codes(decision) == ["supply"]
    assert decision.what_to_do_instead == (
        "Deal with this as a possible supply offence under force policy; do not offer diversion."
    )


def test_an_indicator_the_scheme_marks_as_an_automatic_refusal_refuses_with_its_reason() -> None:
    policy = replace(POLICY, automatic_supply_refusals=frozenset({"deal_bags"}))
    stop = replace(
        ADULT_STOP,
        supply_indicators=("deal_bags", "cash"),
        supply_suspected=False,
        supply_reason="Says the bags are for his own use",
    )
    decision = decide(policy, stop)
    assert codes(decision) == ["supply_indicator_refused"]
    assert decision.reasons[0].message == (
        "This scheme never offers diversion when it finds deal bags or wraps."
    )
    # Without that indicator the same judgement is allowed.
    assert decide(policy, replace(stop, supply_indicators=("cash",))).eligible


@pytest.mark.parametrize("offence", DISQUALIFYING_OFFENCES)
def test_supply_intent_production_or_dealing_is_never_eligible_even_if_the_scheme_is_silent(
    offence: str,
) -> None:
    decision = decide(stop=replace(ADULT_STOP, other_offences=(offence,)))
    assert codes(decision) == ["supply"]
    assert OTHER_OFFENCES[offence].label in decision.reasons[0].message


def test_drugs_found_outside_the_schemes_area_are_not_eligible() -> None:
    decision = decide(stop=replace(ADULT_STOP, local_authority_id=ELSEWHERE))
    assert codes(decision) == ["outside_area"]
    assert decision.what_to_do_instead == (
        "Refer to the scheme for the area where the drugs were found, "
        "or deal with it under force policy."
    )


def test_every_failing_rule_gives_its_reason_in_rule_order() -> None:
    stop = replace(
        ADULT_STOP,
        local_authority_id=ELSEWHERE,
        supply_indicators=("multiple_phones", "scales"),
        supply_suspected=True,
        supply_reason="Scales with residue",
        other_offences=("intent_to_supply",),
    )
    decision = decide(stop=stop, history=(prior("not_engaged"),))
    assert codes(decision) == ["supply", "supply", "outside_area", "did_not_engage"]
    assert decision.reasons[0].message.startswith("You suspect intent to supply.")
    assert decision.what_to_do_instead.splitlines() == [
        "Deal with this as a possible supply offence under force policy; do not offer diversion.",
        "Refer to the scheme for the area where the drugs were found, "
        "or deal with it under force policy.",
        "Deal with it under force policy; do not offer diversion.",
    ]


# Age: birthday-aware, 29 February included.


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (dt.date(2007, 6, 15), dt.date(2025, 6, 15), 18),
        (dt.date(2007, 6, 16), dt.date(2025, 6, 15), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
        (dt.date(2008, 2, 29), dt.date(2028, 2, 29), 20),
        (dt.date(2015, 12, 31), dt.date(2025, 12, 31), 10),
        (dt.date(2025, 6, 15), dt.date(2025, 6, 15), 0),
    ],
)
def test_age_counts_completed_years_on_the_day_of_the_stop(
    born: dt.date, day: dt.date, age: int
) -> None:
    assert age_on(born, day) == age


def test_a_child_of_nine_years_364_days_is_under_the_age_of_criminal_responsibility() -> None:
    born = born_years_before(10, STOP_DAY, days_later=1)
    stop = replace(ADULT_STOP, date_of_birth=born, appropriate_adult_present=True)
    decision = decide(stop=stop)
    assert codes(decision) == ["under_age_of_criminal_responsibility"]
    assert "safeguarding" in decision.what_to_do_instead


def test_a_child_on_their_tenth_birthday_with_an_appropriate_adult_is_eligible() -> None:
    born = born_years_before(10, STOP_DAY)
    assert decide(
        stop=replace(ADULT_STOP, date_of_birth=born, appropriate_adult_present=True)
    ).eligible


def test_seventeen_years_364_days_without_an_appropriate_adult_is_not_eligible() -> None:
    born = born_years_before(18, STOP_DAY, days_later=1)
    decision = decide(stop=replace(ADULT_STOP, date_of_birth=born))
    assert codes(decision) == ["appropriate_adult_absent"]
    assert decision.reasons[0].message.startswith("The person is 17")


def test_seventeen_years_364_days_with_an_appropriate_adult_is_eligible() -> None:
    born = born_years_before(18, STOP_DAY, days_later=1)
    assert decide(
        stop=replace(ADULT_STOP, date_of_birth=born, appropriate_adult_present=True)
    ).eligible


def test_someone_whose_eighteenth_birthday_is_the_stop_day_needs_no_appropriate_adult() -> None:
    assert decide(stop=replace(ADULT_STOP, date_of_birth=born_years_before(18, STOP_DAY))).eligible


@pytest.mark.parametrize(("stopped_on", "eligible"), [("2026-02-28", False), ("2026-03-01", True)])
def test_someone_born_on_29_february_turns_18_on_1_march_in_a_common_year(
    stopped_on: str, eligible: bool
) -> None:
    stop = replace(
        ADULT_STOP, date_of_birth=dt.date(2008, 2, 29), stopped_on=dt.date.fromisoformat(stopped_on)
    )
    assert decide(stop=stop).eligible is eligible


def test_a_young_person_is_not_eligible_where_the_scheme_takes_adults_only() -> None:
    stop = replace(ADULT_STOP, date_of_birth=dt.date(2010, 1, 1), appropriate_adult_present=True)
    policy = replace(POLICY, accepts_young_people=False)
    assert codes(decide(policy, stop)) == ["young_people_not_accepted"]


def test_a_young_person_below_the_schemes_minimum_age_is_not_eligible() -> None:
    stop = replace(ADULT_STOP, date_of_birth=dt.date(2012, 1, 1), appropriate_adult_present=True)
    policy = replace(POLICY, youth_minimum_age=14)
    decision = decide(policy, stop)
    assert codes(decision) == ["below_youth_minimum_age"]
    assert decision.reasons[0].message == ("The person is 13. This scheme accepts people from 14.")


# The scheme's own exclusions.


@pytest.mark.parametrize(
    ("offence", "exclusion"),
    [
        ("violence", "violence_at_same_time"),
        ("weapon", "weapon_at_same_time"),
        ("drug_driving", "drug_driving"),
    ],
)
def test_another_offence_refuses_diversion_only_where_the_scheme_excludes_it(
    offence: str, exclusion: str
) -> None:
    stop = replace(ADULT_STOP, other_offences=(offence,))
    excluding = replace(POLICY, excluded_circumstances=frozenset({exclusion}))
    assert codes(decide(excluding, stop)) == [exclusion]
    allowing = decide(POLICY, stop)
    assert allowing.eligible
    assert [note.code for note in allowing.notes] == ["other_offence"]


def test_an_unrelated_offence_is_dealt_with_separately_and_does_not_block_diversion() -> None:
    decision = decide(stop=replace(ADULT_STOP, other_offences=("theft",)))
    assert decision.eligible
    assert (
        decision.notes[0].message == "Deal with theft or shoplifting separately under force policy."
    )


@pytest.mark.parametrize(
    "circumstance", ["on_school_premises", "on_bail_or_licence", "in_custodial_institution"]
)
def test_a_circumstance_the_scheme_excludes_refuses_diversion(circumstance: str) -> None:
    stop = replace(ADULT_STOP, circumstances=frozenset({circumstance}))
    policy = replace(POLICY, excluded_circumstances=frozenset({circumstance}))
    decision = decide(policy, stop)
    assert codes(decision) == [circumstance]
    assert EXCLUSIONS[circumstance] in decision.reasons[0].message
    assert decide(POLICY, stop).eligible


@pytest.mark.parametrize(
    ("born", "drug", "eligible"),
    [
        (dt.date(2009, 1, 1), COCAINE, False),
        (dt.date(2009, 1, 1), CANNABIS, True),
        (dt.date(2000, 1, 1), COCAINE, True),
    ],
)
def test_class_a_under_18_applies_only_to_class_a_found_on_someone_under_18(
    born: dt.date, drug: Drug, eligible: bool
) -> None:
    policy = replace(POLICY, excluded_circumstances=frozenset({"class_a_under_18"}))
    stop = replace(ADULT_STOP, date_of_birth=born, drugs=(drug,), appropriate_adult_present=True)
    decision = decide(policy, stop)
    assert decision.eligible is eligible
    if not eligible:
        assert codes(decision) == ["class_a_under_18"]
        assert "youth offending service" in decision.what_to_do_instead


# Engagement history.


def test_a_person_who_never_engaged_is_not_offered_diversion_again() -> None:
    decision = decide(history=(prior("not_engaged"),))
    assert not decision.eligible
    assert decision.reasons[0].message == (
        "Did not engage after referral WM-7K3Q-92 in March 2025: not eligible for diversion again"
    )


def test_a_person_who_engaged_twice_is_offered_diversion_again_with_a_summary() -> None:
    history = (prior("engaged", "WM-AAAA-11", dt.date(2023, 1, 5)), prior("engaged"))
    decision = decide(history=history)
    assert decision.eligible
    assert [n.message for n in decision.notes] == ["Previous referrals: 2, engaged each time"]


def test_a_referral_still_in_progress_allows_diversion_with_an_advisory_note() -> None:
    decision = decide(history=(prior("in_progress", on=dt.date(2025, 5, 20)),))
    assert decision.eligible
    assert decision.notes[0].code == "referral_in_progress"
    assert "WM-7K3Q-92 from May 2025 is still in progress" in decision.notes[0].message


def test_a_withdrawn_referral_counts_neither_for_nor_against_the_person() -> None:
    decision = decide(history=(prior("withdrawn"),))
    assert decision.eligible
    assert decision.notes == ()


def test_a_person_who_engaged_once_then_did_not_engage_is_not_offered_diversion() -> None:
    history = (prior("engaged", "WM-AAAA-11", dt.date(2023, 1, 5)), prior("not_engaged"))
    decision = decide(history=history)
    assert codes(decision) == ["did_not_engage"]
    assert decision.notes == ()


# The record and the inputs.


def test_the_record_is_json_and_names_the_scheme_policy_and_rules_versions() -> None:
    decision = decide(stop=replace(ADULT_STOP, local_authority_id=ELSEWHERE))
    record = json.loads(json.dumps(decision.as_record()))
    assert record == {
        "eligible": False,
        "reasons": [
            {"code": "outside_area", "message": "The drugs were found outside this scheme's area."}
        ],
        "notes": [],
        "what_to_do_instead": decision.what_to_do_instead,
        "scheme_code": "WM",
        "policy_version": 3,
        "rules_version": RULES_VERSION,
    }


@pytest.mark.parametrize(
    "change",
    [
        {"drugs": (Drug("spice", "D"),)},
        {"supply_indicators": ("tick_list",)},
        {"other_offences": ("arson",)},
        {"circumstances": frozenset({"at_a_festival"})},
        {"date_of_birth": STOP_DAY + dt.timedelta(days=1)},
    ],
)
def test_stop_facts_refuse_codes_and_dates_that_cannot_be(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"Unknown|after the stop"):
        replace(ADULT_STOP, **change)


@pytest.mark.parametrize(
    "change",
    [
        {"eligible_drug_classes": frozenset({"PS"})},
        {"excluded_circumstances": frozenset({"on_a_bicycle"})},
        {"youth_minimum_age": 9},
        {"youth_minimum_age": 18},
    ],
)
def test_a_policy_refuses_values_the_scheme_policy_cannot_hold(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"Unknown|out of range"):
        replace(POLICY, **change)


def test_a_prior_referral_refuses_an_unknown_outcome() -> None:
    with pytest.raises(ValueError, match="Unknown outcome"):
        prior("completed")


def test_the_policy_is_read_from_the_scheme_in_the_database(scheme: Scheme) -> None:
    policy = EligibilityPolicy.from_scheme(scheme)
    area = scheme.local_authorities.get()
    assert policy == EligibilityPolicy(
        scheme_code=scheme.code,
        eligible_drug_classes=frozenset({"A", "B", "C"}),
        local_authority_ids=frozenset({area.pk}),
        excluded_circumstances=frozenset({"violence_at_same_time"}),
        accepts_young_people=True,
        youth_minimum_age=10,
        policy_version=scheme.policy_version,
    )
    stop = replace(ADULT_STOP, local_authority_id=area.pk)
    assert decide(policy, stop).eligible
    assert codes(decide(policy, replace(stop, other_offences=("violence",)))) == [
        "violence_at_same_time"
    ]


# Invariants.


def rarely(strategy: Any, usual: Any) -> Any:
    """Mostly the usual value, so that eligible cases are common enough to test too."""
    return st.one_of(st.just(usual), st.just(usual), strategy)


policies = st.builds(
    EligibilityPolicy,
    scheme_code=st.sampled_from(["WM", "WMC", "TV"]),
    eligible_drug_classes=st.frozensets(st.sampled_from(sorted(DRUG_CLASSES)), min_size=1),
    local_authority_ids=st.frozensets(st.integers(2, 4)).map(lambda ids: ids | {1}),
    excluded_circumstances=st.frozensets(st.sampled_from(sorted(EXCLUSIONS))),
    accepts_young_people=st.booleans(),
    youth_minimum_age=st.integers(10, 17),
    policy_version=st.integers(1, 50),
    automatic_supply_refusals=rarely(
        st.frozensets(st.sampled_from(sorted(SUPPLY_INDICATORS))), frozenset()
    ),
)
drugs = st.builds(
    Drug,
    st.sampled_from(["cannabis", "cocaine", "heroin", "ketamine", "diazepam"]),
    st.sampled_from(sorted(DRUG_CLASSES)),
)


def codes_from(table: Any, max_size: int = 2) -> Any:
    codes = st.lists(st.sampled_from(sorted(table)), unique=True, min_size=1, max_size=max_size)
    return rarely(codes.map(tuple), ())


@st.composite
def stops(draw: Any, *, max_age_days: int = 60 * 365) -> StopFacts:
    stopped_on = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    # Whole years first: hypothesis favours small integers, which would make most people children.
    years = draw(st.sampled_from(range(max_age_days // 365 + 1)))
    age_in_days = min(years * 365 + draw(st.sampled_from(range(365))), max_age_days)
    return StopFacts(
        date_of_birth=stopped_on - dt.timedelta(days=age_in_days),
        stopped_on=stopped_on,
        local_authority_id=draw(rarely(st.integers(1, 5), 1)),
        drugs=tuple(draw(rarely(st.lists(drugs, max_size=3), [CANNABIS]))),
        supply_indicators=draw(codes_from(SUPPLY_INDICATORS)),
        other_offences=draw(codes_from(OTHER_OFFENCES)),
        circumstances=frozenset(draw(codes_from(EXCLUSIONS, 3))),
        appropriate_adult_present=draw(st.booleans()),
        supply_suspected=draw(st.sampled_from([None, False, False, True])),
        supply_reason=draw(rarely(st.just(""), "Explained the cash: wages")),
        identity_answer=draw(st.sampled_from(["", "same", "different"])),
    )


ANY_OUTCOME = st.sampled_from(sorted(OUTCOMES))


def priors(outcomes: Any = ANY_OUTCOME, *, other_scheme: bool = False) -> Any:
    return st.builds(
        PriorReferral,
        reference=st.just("")
        if other_scheme
        else st.integers(0, 0xFFFF).map(lambda n: f"WM-{n:04X}-{n % 97:02d}"),
        referred_on=st.dates(dt.date(2015, 1, 1), dt.date(2019, 12, 31)),
        outcome=outcomes,
        other_scheme=st.just(other_scheme),
    )


histories = st.lists(priors(), max_size=4).map(tuple)


@given(policies, stops(), histories)
def test_suspected_intent_to_supply_means_not_eligible_whatever_else(
    policy: EligibilityPolicy, stop: StopFacts, history: tuple[PriorReferral, ...]
) -> None:
    assert "supply" in codes(decide(policy, replace(stop, supply_suspected=True), history))


@given(policies, stops(), histories, st.sampled_from(sorted(SUPPLY_INDICATORS)))
def test_an_indicator_the_scheme_refuses_on_means_not_eligible_whatever_the_judgement(
    policy: EligibilityPolicy, stop: StopFacts, history: tuple[PriorReferral, ...], sign: str
) -> None:
    policy = replace(policy, automatic_supply_refusals=policy.automatic_supply_refusals | {sign})
    stop = replace(stop, supply_indicators=tuple({*stop.supply_indicators, sign}))
    assert "supply_indicator_refused" in codes(decide(policy, stop, history))


@given(policies, stops(), histories, st.sampled_from(sorted(SUPPLY_INDICATORS)))
def test_an_indicator_without_suspicion_never_refuses_by_itself(
    policy: EligibilityPolicy, stop: StopFacts, history: tuple[PriorReferral, ...], sign: str
) -> None:
    """Adding an indicator the scheme does not refuse on, when the officer has answered "no"
    with a reason, adds no reason."""
    policy = replace(policy, automatic_supply_refusals=policy.automatic_supply_refusals - {sign})
    stop = replace(stop, supply_suspected=False, supply_reason="Wages, and it was one bag")
    more = replace(stop, supply_indicators=tuple(dict.fromkeys((*stop.supply_indicators, sign))))
    assert set(decide(policy, more, history).reasons) <= set(decide(policy, stop, history).reasons)


@given(policies, stops(), histories, priors(st.just("not_engaged")))
def test_any_referral_without_engagement_means_not_eligible(
    policy: EligibilityPolicy,
    stop: StopFacts,
    history: tuple[PriorReferral, ...],
    not_engaged: PriorReferral,
) -> None:
    assert not decide(policy, stop, (*history, not_engaged)).eligible


@given(policies, stops(), histories, st.lists(priors(st.just("engaged")), min_size=1))
def test_adding_engaged_referrals_never_changes_the_decision(
    policy: EligibilityPolicy,
    stop: StopFacts,
    history: tuple[PriorReferral, ...],
    engaged: list[PriorReferral],
) -> None:
    before, after = decide(policy, stop, history), decide(policy, stop, (*history, *engaged))
    assert (after.eligible, after.reasons) == (before.eligible, before.reasons)


@given(policies, stops(), histories)
def test_a_decision_is_not_eligible_exactly_when_it_gives_a_reason(
    policy: EligibilityPolicy, stop: StopFacts, history: tuple[PriorReferral, ...]
) -> None:
    decision = decide(policy, stop, history)
    assert decision.eligible is (len(decision.reasons) == 0)
    assert decision.eligible is (decision.what_to_do_instead == "")
    assert decision.as_record()["eligible"] is decision.eligible


@given(policies, stops(), histories)
def test_an_eligible_decision_means_every_rule_for_all_schemes_holds(
    policy: EligibilityPolicy, stop: StopFacts, history: tuple[PriorReferral, ...]
) -> None:
    if decide(policy, stop, history).eligible:
        assert stop.drugs
        assert {drug.drug_class for drug in stop.drugs} <= policy.eligible_drug_classes
        assert not stop.supply_suspected
        assert not set(stop.supply_indicators) & policy.automatic_supply_refusals
        assert not stop.supply_indicators or stop.supply_reason.strip()
        assert not {OTHER_OFFENCES[code].disqualifies for code in stop.other_offences} & {True}
        assert stop.local_authority_id in policy.local_authority_ids
        assert stop.age >= 18 or stop.appropriate_adult_present
        assert all(prior.outcome != "not_engaged" for prior in history)


REMOVALS = {
    "supply indicators": lambda stop: replace(stop, supply_indicators=()),
    "the suspicion": lambda stop: replace(
        stop, supply_suspected=False, supply_reason=stop.supply_reason or "One bag, own use"
    ),
    "other offences": lambda stop: replace(stop, other_offences=()),
    "circumstances": lambda stop: replace(stop, circumstances=frozenset()),
    "an absent appropriate adult": lambda stop: replace(stop, appropriate_adult_present=True),
    "the area": lambda stop: replace(stop, local_authority_id=1),
}


@pytest.mark.parametrize("removal", REMOVALS.values(), ids=REMOVALS.keys())
@given(policy=policies, stop=stops(), history=histories)
def test_removing_a_failing_fact_never_adds_a_reason(
    removal: Any, policy: EligibilityPolicy, stop: StopFacts, history: tuple[PriorReferral, ...]
) -> None:
    before = set(decide(policy, stop, history).reasons)
    assert set(decide(policy, removal(stop), history).reasons) <= before


@given(policies, stops(), histories)
def test_removing_a_referral_without_engagement_never_adds_a_reason(
    policy: EligibilityPolicy, stop: StopFacts, history: tuple[PriorReferral, ...]
) -> None:
    kept = tuple(prior for prior in history if prior.outcome != "not_engaged")
    assert set(decide(policy, stop, kept).reasons) <= set(decide(policy, stop, history).reasons)


@given(policies, stops(max_age_days=3651), histories)
def test_anyone_under_10_is_never_eligible(
    policy: EligibilityPolicy, stop: StopFacts, history: tuple[PriorReferral, ...]
) -> None:
    decision = decide(policy, stop, history)
    assert "under_age_of_criminal_responsibility" in codes(decision)


@given(policies, stops(max_age_days=6573), histories)
def test_anyone_under_18_without_an_appropriate_adult_is_never_eligible(
    policy: EligibilityPolicy, stop: StopFacts, history: tuple[PriorReferral, ...]
) -> None:
    assert not decide(policy, replace(stop, appropriate_adult_present=False), history).eligible


@given(policies, stops(), st.lists(priors(), max_size=4), st.randoms(use_true_random=False))
def test_the_same_facts_always_give_the_same_decision_whatever_the_order_of_history(
    policy: EligibilityPolicy, stop: StopFacts, history: list[PriorReferral], rng: Any
) -> None:
    first = decide(policy, stop, tuple(history))
    rng.shuffle(history)
    assert decide(policy, stop, tuple(history)) == first
    assert decide(policy, stop, tuple(history)).as_record() == first.as_record()


# Across schemes: only the shared fact crosses (issue 15 §1, decision 0016).

shared_histories = st.lists(priors(other_scheme=True), max_size=3).map(tuple)


@given(policies, stops(), histories, shared_histories, shared_histories)
def test_possible_matches_in_other_schemes_count_only_when_the_officer_confirms_them(
    policy: EligibilityPolicy,
    stop: StopFacts,
    history: tuple[PriorReferral, ...],
    shared: tuple[PriorReferral, ...],
    to_confirm: tuple[PriorReferral, ...],
) -> None:
    certain = (*history, *shared)
    different = replace(stop, identity_answer="different")
    same = replace(stop, identity_answer="same")

    def with_question(facts: StopFacts) -> EligibilityDecision:
        return eligibility_decide(policy=policy, stop=facts, history=certain, to_confirm=to_confirm)

    assert with_question(different).reasons == decide(policy, different, certain).reasons
    assert with_question(same).reasons == decide(policy, same, (*certain, *to_confirm)).reasons
    unanswered = with_question(replace(stop, identity_answer=""))
    assert ("identity_to_confirm" in codes(unanswered)) is bool(to_confirm)


@given(policies, stops(), histories, priors(st.just("not_engaged"), other_scheme=True))
def test_a_shared_did_not_engage_refuses_and_names_only_the_date(
    policy: EligibilityPolicy, stop: StopFacts, history: tuple[PriorReferral, ...], fact: Any
) -> None:
    decision = decide(policy, stop, (*history, fact))
    refusals = [r.message for r in decision.reasons if r.code == "did_not_engage"]
    assert f"Referred by another scheme on {fact.date}: did not engage" in " ".join(refusals)


def test_another_schemes_reference_never_crosses_the_border() -> None:
    with pytest.raises(ValueError, match="never crosses"):
        PriorReferral("WM-7K3Q-92", dt.date(2025, 1, 2), "not_engaged", other_scheme=True)
