"""AUDIT-C and AUDIT scoring against the published thresholds and bands."""

from __future__ import annotations

import pytest

from diversion.casework.scoring import (
    AuditBand,
    ScoringError,
    audit_band,
    audit_c_positive,
    audit_c_score,
    audit_more_score,
    audit_score,
)


def test_audit_c_adds_the_three_answers() -> None:
    assert audit_c_score([0, 0, 0]) == 0
    assert audit_c_score([4, 4, 4]) == 12
    assert audit_c_score([2, 1, 3]) == 6


@pytest.mark.parametrize(("score", "positive"), [(0, False), (4, False), (5, True), (12, True)])
def test_audit_c_is_positive_from_five(score: int, positive: bool) -> None:
    assert audit_c_positive(score) is positive


@pytest.mark.parametrize("answers", [[1, 2], [1, 2, 3, 4], [5, 0, 0], [-1, 0, 0]])
def test_audit_c_refuses_answers_that_are_not_three_scores_of_0_to_4(answers: list[int]) -> None:
    with pytest.raises(ScoringError):
        audit_c_score(answers)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, AuditBand.LOWER),
        (7, AuditBand.LOWER),
        (8, AuditBand.INCREASING),
        (15, AuditBand.INCREASING),
        (16, AuditBand.HIGHER),
        (19, AuditBand.HIGHER),
        (20, AuditBand.DEPENDENCE),
        (40, AuditBand.DEPENDENCE),
    ],
)
def test_audit_bands_follow_the_published_boundaries(score: int, band: str) -> None:
    assert audit_band(score) == band


@pytest.mark.parametrize("score", [-1, 41])
def test_an_audit_score_outside_0_to_40_is_refused(score: int) -> None:
    with pytest.raises(ScoringError):
        audit_band(score)


def test_questions_9_and_10_score_0_2_or_4() -> None:
    assert audit_more_score([0, 0, 0, 0, 0, 0, 0]) == 0
    assert audit_more_score([0, 0, 0, 0, 0, 1, 1]) == 4
    assert audit_more_score([0, 0, 0, 0, 0, 2, 2]) == 8
    assert audit_more_score([4, 4, 4, 4, 4, 2, 2]) == 28


def test_a_third_answer_position_is_the_highest_for_questions_9_and_10() -> None:
    with pytest.raises(ScoringError):
        audit_more_score([0, 0, 0, 0, 0, 3, 0])


def test_the_full_audit_is_at_most_40() -> None:
    assert audit_score([4, 4, 4], [4, 4, 4, 4, 4, 2, 2]) == 40


def test_a_positive_audit_c_with_mild_answers_after_it_is_increasing_risk() -> None:
    # 5 (AUDIT-C) + 1 + 0 + 0 + 1 + 1 + 0 + 0 = 8: the lowest score of increasing risk.
    score = audit_score([2, 2, 1], [1, 0, 0, 1, 1, 0, 0])
    assert score == 8
    assert audit_band(score) == AuditBand.INCREASING
