"""The retention job with a fake clock: each kind goes at the end of its period and not a day
before; legal hold stops it; a second run changes nothing; a dry run changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command

from diversion.api.models import IdempotencyRecord
from diversion.audit.selectors import audit_chain_verify
from diversion.casework.models import Assessment
from diversion.core.roles import Role
from diversion.engagement.models import PoliceNotice, SelfServiceLink
from diversion.evaluation.models import FrameSnapshot, ImportBatch, PolicePerson
from diversion.messaging.models import InboundMessage, Message
from diversion.privacy.holds import lift_hold, place_hold
from diversion.privacy.models import Erasure, HoldKind
from diversion.retention.job import retention_run
from diversion.retention.models import RetentionRun, RunStatus
from diversion.retention.registry import retention_kind, retention_kinds
from diversion.retention.tests.builders import (
    Case,
    audit_event_exists,
    closed_case,
    referral_with_messages,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(
    scheme: Any,
    officer: Any,
    slots: list[Any],
    make_user: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> Case:
    referral = referral_with_messages(
        officer=officer,
        scheme=scheme,
        slot=slots[0],
        key="case-1",
        settings=settings,
        capture=django_capture_on_commit_callbacks,
    )
    return closed_case(referral=referral, scheme=scheme, make_user=make_user, key="case-1")


def _answers(case: Case) -> dict[str, Any]:
    answers: dict[str, Any] = Assessment.objects.get(pk=case.ids["assessment"]).answers
    return answers


# kind -> whether its record of the case is still there as it was
STILL_THERE: dict[str, Callable[[Case], bool]] = {
    "referral_person": lambda c: not Erasure.objects.filter(person_id=c.ids["person"]).exists(),
    "assessment_advice": lambda c: _answers(c) != {},
    "messages": lambda c: Message.objects.filter(person_id=c.ids["person"]).exists(),
    "inbound_messages": lambda c: InboundMessage.objects.filter(pk=c.ids["inbound"]).exists(),
    "self_service_links": lambda c: SelfServiceLink.objects.filter(referral=c.referral).exists(),
    "police_notices": lambda c: PoliceNotice.objects.filter(pk=c.ids["notice"]).exists(),
    "audit_events": lambda c: audit_event_exists(int(c.ids["event"])),
    "sessions": lambda c: Session.objects.filter(pk=c.ids["session"]).exists(),
    "police_data": lambda c: PolicePerson.objects.get(pk=c.ids["police_person"]).name_key != "",
    "police_import_reports": lambda c: ImportBatch.objects.get(pk=c.ids["batch"]).report != [],
    "evaluation_snapshots": lambda c: FrameSnapshot.objects.filter(pk=c.ids["snapshot"]).exists(),
    "api_idempotency": lambda c: IdempotencyRecord.objects.filter(pk=c.ids["idempotency"]).exists(),
}


def test_every_registered_kind_is_tested_here() -> None:
    assert {kind.key for kind in retention_kinds()} == set(STILL_THERE)


def _at(case: Case, days: int, **extra: Any) -> dt.datetime:
    return case.t0 + dt.timedelta(days=days, **extra)


@pytest.mark.parametrize("key", sorted(STILL_THERE))
def test_each_kind_goes_at_the_end_of_its_period_and_not_a_day_before(key: str, case: Case) -> None:
    period = retention_kind(key).default_days
    assert STILL_THERE[key](case)

    retention_run(now=_at(case, period - 1))
    assert STILL_THERE[key](case), f"{key} went a day early"

    run = retention_run(now=_at(case, period))
    assert not STILL_THERE[key](case), f"{key} was kept past its period"
    assert run.status == RunStatus.FINISHED, run.errors
    assert sum(n for (k, a), n in run.totals().items() if k == key and a != "held") >= 1


def test_anonymised_assessments_keep_their_scores_and_lose_every_free_text(case: Case) -> None:
    retention_run(now=_at(case, retention_kind("assessment_advice").default_days))
    assessment = Assessment.objects.get(pk=case.ids["assessment"])
    assert assessment.answers == {}
    assert assessment.risk_change_reason == ""
    assert assessment.audit_c_score == 4


def test_anonymised_messages_keep_the_delivery_log_without_recipient_or_words(
    case: Case, scheme: Any, make_user: Any
) -> None:
    from diversion.audit.services import Actor
    from diversion.retention.schedules import schedule_update

    admin = make_user(Role.SCHEME_ADMIN, scheme)
    schedule_update(
        actor=Actor.of(admin),
        scheme=scheme,
        kind=retention_kind("messages"),
        period_days=365,
        action="anonymise",
        reason="the provider counts deliveries",
    )
    before = list(Message.objects.filter(person_id=case.ids["person"]).order_by("pk"))
    retention_run(now=_at(case, 365))
    after = list(Message.objects.filter(person_id=case.ids["person"]).order_by("pk"))
    assert [m.pk for m in after] == [m.pk for m in before] and after
    for old, new in zip(before, after, strict=True):
        assert (new.recipient, new.body, new.subject, new.recipient_index) == ("", "", "", "")
        assert (new.template, new.status, new.channel) == (old.template, old.status, old.channel)


def test_a_legal_hold_on_the_person_keeps_everything_of_theirs_until_lifted(
    case: Case, scheme: Any, make_user: Any
) -> None:
    admin = make_user(Role.SCHEME_ADMIN, scheme)
    hold = place_hold(
        actor=admin,
        kind=HoldKind.COMPLAINT,
        reason="complaint under investigation",
        review_on=dt.date.today() + dt.timedelta(days=30),
        person=case.referral.person,
    )
    far = _at(case, 100 * 365)
    personal = [
        "referral_person",
        "assessment_advice",
        "messages",
        "self_service_links",
        "police_notices",
    ]
    personal += ["police_data", "api_idempotency"]

    dry = retention_run(now=far, dry_run=True)
    held = {kind for (kind, action), n in dry.totals().items() if action == "held" and n}
    assert held == set(personal)

    retention_run(now=far)
    for key in personal:
        assert STILL_THERE[key](case), f"{key} went despite the legal hold"
    for key in ["sessions", "evaluation_snapshots", "inbound_messages", "audit_events"]:
        assert not STILL_THERE[key](case), f"{key} is not linked to a person and should go"

    lift_hold(actor=admin, hold_id=hold.pk, reason="complaint closed")
    retention_run(now=far)
    for key in personal:
        assert not STILL_THERE[key](case), f"{key} stayed after the hold was lifted"


def test_a_legal_hold_on_the_referral_keeps_its_records(
    case: Case, scheme: Any, make_user: Any
) -> None:
    place_hold(
        actor=make_user(Role.SCHEME_ADMIN, scheme),
        kind=HoldKind.LITIGATION,
        reason="claim against the force",
        review_on=dt.date.today() + dt.timedelta(days=90),
        referral=case.referral,
    )
    retention_run(now=_at(case, 100 * 365))
    for key in ["referral_person", "assessment_advice", "messages", "police_notices"]:
        assert STILL_THERE[key](case), f"{key} went despite the legal hold on the referral"


def _snapshot() -> dict[str, Any]:
    return {
        "messages": sorted(Message.objects.values_list("pk", "body")),
        "assessments": sorted(Assessment.objects.values_list("pk", "answers")),
        "links": SelfServiceLink.objects.count(),
        "notices": PoliceNotice.objects.count(),
        "police": sorted(PolicePerson.objects.values_list("pk", "name_key")),
        "sessions": Session.objects.count(),
        "snapshots": FrameSnapshot.objects.count(),
        "idempotency": IdempotencyRecord.objects.count(),
    }


def test_running_twice_changes_nothing_the_second_time(
    case: Case,
    scheme: Any,
    officer: Any,
    slots: list[Any],
    make_user: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    referral = referral_with_messages(
        officer=officer,
        scheme=scheme,
        slot=slots[1],
        key="case-2",
        settings=settings,
        capture=django_capture_on_commit_callbacks,
    )
    young = closed_case(referral=referral, scheme=scheme, make_user=make_user, key="case-2")
    # The second case closed a year later: the run leaves what is not yet due.
    now = _at(case, retention_kind("assessment_advice").default_days)
    from diversion.referrals.models import Referral

    Referral.objects.filter(pk=young.referral.pk).update(
        status_changed_at=young.t0 + dt.timedelta(days=365)
    )
    first = retention_run(now=now)
    assert first.total > 0
    assert _answers(young) != {}
    state = _snapshot()
    second = retention_run(now=now)
    assert second.total == 0, second.counts
    assert _snapshot() == state


def test_a_dry_run_counts_what_a_run_then_does_and_changes_nothing(case: Case) -> None:
    now = _at(case, 7 * 366)
    state = _snapshot()
    dry = retention_run(now=now, dry_run=True)
    assert _snapshot() == state
    real = retention_run(now=now)
    assert {k: n for k, n in dry.totals().items() if k[0] != "audit_events"} == {
        k: n for k, n in real.totals().items() if k[0] != "audit_events"
    }
    assert dry.totals()[("messages", "delete")] == Message.objects.none().count() + len(
        state["messages"]
    )


def test_audit_verify_still_passes_after_the_job_prunes_old_events(case: Case) -> None:
    retention_run(now=_at(case, retention_kind("audit_events").default_days))
    assert not STILL_THERE["audit_events"](case)
    assert audit_chain_verify() == []


def test_a_run_that_stopped_half_way_is_marked_and_the_next_run_finishes_the_work(
    case: Case,
) -> None:
    stale = RetentionRun.objects.create(started_at=case.t0, as_of=case.t0)
    run = retention_run(now=_at(case, 100 * 365), batch_size=1)
    stale.refresh_from_db()
    assert stale.status == RunStatus.FAILED and stale.errors == ["Stopped before it finished"]
    assert run.status == RunStatus.FINISHED
    assert not any(check(case) for check in STILL_THERE.values())


def test_the_command_prints_the_dry_run_report(case: Case, capsys: Any, monkeypatch: Any) -> None:
    # Far enough ahead that the messages are due: the command counts them and keeps them.
    far = _at(case, 400)
    monkeypatch.setattr("django.utils.timezone.now", lambda: far)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert out.startswith("Retention dry run")
    assert "would delete 2 message logs" in out
    assert "Messages and delivery logs: delete 2" in out
    run = RetentionRun.objects.get()
    assert run.dry_run and run.started_by == "command"
    assert Message.objects.filter(person_id=case.ids["person"]).count() == 2


def test_a_run_out_of_time_stops_between_batches_and_the_next_run_goes_on(case: Case) -> None:
    far = _at(case, 100 * 365)
    stopped = retention_run(now=far, max_seconds=0)
    assert stopped.stopped_early and stopped.total == 0
    assert all(check(case) for check in STILL_THERE.values())
    finished = retention_run(now=far)
    assert not finished.stopped_early
    assert not any(check(case) for check in STILL_THERE.values())


@pytest.mark.parametrize("args", [["--batch-size", "0"], ["--max-minutes", "-5"]])
def test_the_command_refuses_bad_options_and_runs_nothing(args: list[str]) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("retention", *args)
    assert not RetentionRun.objects.exists()


def test_the_worker_runs_the_job_every_night_within_its_time_limit(
    case: Case, settings: Any
) -> None:
    from diversion.core.worker import schedules
    from diversion.retention.job import retention_nightly

    job = {job.name: job for job in schedules()}["Retention"]
    assert job.minutes == 24 * 60 and job.func is retention_nightly
    settings.RETENTION_MAX_SECONDS = 0
    assert retention_nightly() == 0
    assert RetentionRun.objects.get().stopped_early
