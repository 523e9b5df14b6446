from __future__ import annotations

import itertools
import random

import pytest

from diversion.referrals.lifecycle import FINISHED, ReferralStatus, check_path
from diversion.synthetic.mixes import status_path

S = ReferralStatus
AGES = [0, 2, 3, 9, 10, 20, 21, 34, 35, 60, 61, 400]


@pytest.mark.parametrize("age", AGES)
def test_every_path_is_one_the_lifecycle_allows(age: int) -> None:
    for draws in itertools.product([0.01, 0.05, 0.2, 0.5, 0.99], repeat=3):
        check_path(tuple(status_path(age, iter(draws).__next__, course_no_show=0.08)))


def test_a_referral_made_in_the_last_three_days_is_still_waiting_for_its_call() -> None:
    def never() -> float:
        raise AssertionError("no choice is made this early")

    assert status_path(2, never) == [S.REFERRED, S.ASSESSMENT_BOOKED]


def test_a_choice_is_drawn_only_when_one_is_made() -> None:
    draws = iter([0.2])  # missed the assessment: no further choice
    assert status_path(400, draws.__next__)[-1] == S.NOT_ENGAGED
    booked = iter([0.5, 0.5])  # assessed, booked on a course; no no-show draw without the share
    assert status_path(400, booked.__next__)[-1] == S.COMPLETED


def test_old_referrals_have_finished_in_about_the_published_shares() -> None:
    rng = random.Random(3)
    ends = [status_path(400, rng.random)[-1] for _ in range(5000)]

    assert all(end in FINISHED for end in ends)
    engaged = sum(end == S.COMPLETED for end in ends) / len(ends)
    assert 0.60 <= engaged <= 0.70  # about 65% completing at least the assessment
