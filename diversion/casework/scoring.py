"""AUDIT-C and AUDIT scores and the AUDIT risk band.

Thresholds, as published:

- AUDIT-C (the first three AUDIT questions, each 0-4, total 0-12): "a total of 5+ indicates
  increasing or higher risk drinking; an overall total score of 5 or above is AUDIT-C positive",
  and a positive screen goes on to the remaining AUDIT questions (Office for Health Improvement
  and Disparities, "Alcohol use screening tests", the AUDIT-C and AUDIT forms, 2020; the same
  threshold is in `/work/shared/domain/reference/README.md`).
- AUDIT (ten questions, total 0-40; questions 1-8 score 0-4, questions 9 and 10 score 0, 2 or 4):
  0-7 lower risk, 8-15 increasing risk, 16-19 higher risk, 20 or more possible dependence
  (OHID's AUDIT form; the four zones of Babor et al., "AUDIT: Guidelines for use in primary
  care", 2nd edition, World Health Organization 2001).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models

from diversion.casework.questions import AUDIT_MORE

AUDIT_C_POSITIVE = 5
AUDIT_C_QUESTIONS = 3


class AuditBand(models.TextChoices):
    LOWER = "lower", "Lower risk"
    INCREASING = "increasing", "Increasing risk"
    HIGHER = "higher", "Higher risk"
    DEPENDENCE = "dependence", "Possible dependence"


# (lowest score, band), highest first: one table.
AUDIT_BANDS: list[tuple[int, str]] = [
    (20, AuditBand.DEPENDENCE),
    (16, AuditBand.HIGHER),
    (8, AuditBand.INCREASING),
    (0, AuditBand.LOWER),
]


class ScoringError(ValueError):
    pass


def audit_c_score(answers: Sequence[int]) -> int:
    """The AUDIT-C total: three answers, each the position (0-4) of the answer chosen."""
    if len(answers) != AUDIT_C_QUESTIONS or any(a not in range(5) for a in answers):
        raise ScoringError("AUDIT-C needs three answers, each scoring 0 to 4.")
    return sum(answers)


def audit_c_positive(score: int) -> bool:
    return score >= AUDIT_C_POSITIVE


def audit_more_score(positions: Sequence[int]) -> int:
    """The score of questions 4 to 10, given the position of the answer chosen to each."""
    if len(positions) != len(AUDIT_MORE):
        raise ScoringError("The full AUDIT needs an answer to each of questions 4 to 10.")
    total = 0
    for position, (_number, _question, _answers, scores) in zip(positions, AUDIT_MORE, strict=True):
        if position not in range(len(scores)):
            raise ScoringError("An AUDIT answer is not one of the question's answers.")
        total += scores[position]
    return total


def audit_score(audit_c_answers: Sequence[int], more_positions: Sequence[int]) -> int:
    """The full AUDIT total (0-40): AUDIT-C plus questions 4 to 10."""
    return audit_c_score(audit_c_answers) + audit_more_score(more_positions)


def audit_band(score: int) -> str:
    if score < 0 or score > 40:
        raise ScoringError("An AUDIT score is between 0 and 40.")
    for lowest, band in AUDIT_BANDS:
        if score >= lowest:
            return band
    raise ScoringError("unreachable")  # pragma: no cover
