"""A report from a scheme's snapshot (with what changed since read live) is the same report as
one read wholly from the tables, figure for figure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from diversion.audit.services import Actor
from diversion.evaluation import snapshot as snapshots
from diversion.evaluation import sources
from diversion.evaluation.models import FrameSnapshot, ImportBatch, PoliceOffence, PolicePerson
from diversion.evaluation.report import evaluation_report
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition
from diversion.synthetic.generate import scheme_generate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 30)
FILTERS = [
    (dt.date(2022, 7, 1), dt.date(2023, 6, 30), ""),  # a year around go-live: every section
    (dt.date(2024, 7, 1), dt.date(2025, 6, 30), ""),  # the last full year
    (dt.date(2022, 7, 1), dt.date(2023, 6, 30), "first"),  # one local authority
]


@pytest.fixture
def generated(scheme: Any) -> Any:
    scheme.go_live = dt.date(2023, 1, 1)
    scheme.save()
    scheme_generate(scheme=scheme, referrals=1500, police_records=8000, seed=5, today=TODAY)
    sources.forget()
    return scheme


def _both(scheme: Any, start: dt.date, end: dt.date, area: str) -> tuple[dict, dict]:
    if area == "first":
        area = scheme.local_authorities.order_by("ons_code").first().ons_code
    reports = []
    for snapshot in (False, True):
        sources.forget()  # read the snapshot from the database, as a new server process would
        reports.append(
            evaluation_report(
                scheme=scheme,
                start=start,
                end=end,
                local_authority=area,
                as_of=TODAY,
                cached=False,
                snapshot=snapshot,
            ).to_dict()
        )
    return reports[0], reports[1]


@pytest.mark.parametrize(("start", "end", "area"), FILTERS)
def test_a_report_from_the_snapshot_is_the_report_from_the_tables(
    generated: Any, start: dt.date, end: dt.date, area: str
) -> None:
    snapshots.snapshot_build(generated)
    live, from_snapshot = _both(generated, start, end, area)
    assert from_snapshot == live
    # The comparison is about figures, not empty sections.
    shown = {s["key"] for s in live["sections"] if s["tables"]}
    assert {"operational", "reoffending", "disproportionality", "matching"} <= shown
    if start < generated.go_live <= end:
        assert "outcomes" in shown


def test_referrals_made_or_changed_after_the_snapshot_are_read_live(generated: Any) -> None:
    snapshot = snapshots.snapshot_build(generated)
    start, end, area = FILTERS[1]
    referral = (
        Referral.objects.filter(scheme=generated, status=ReferralStatus.ASSESSMENT_BOOKED)
        .order_by("pk")
        .first()
    )
    assert referral is not None
    referral_transition(
        referral_id=referral.pk,
        to_status=ReferralStatus.ASSESSED,
        actor=Actor(label="test"),
        reason="assessed after the snapshot",
    )
    assert snapshots.changed_since(snapshot) == {referral.pk}
    live, from_snapshot = _both(generated, start, end, area)
    assert from_snapshot == live
    source = sources.frames_source(generated)
    assert source.kind == "snapshot"
    frame = source.referrals(start, end)
    assert bool(frame.loc[frame["referral_id"] == referral.pk, "assessed"].iloc[0])


def test_police_data_imported_after_the_snapshot_is_read_live_until_it_is_built_again(
    generated: Any, officer: Any
) -> None:
    snapshots.snapshot_build(generated)
    batch = ImportBatch.objects.create(
        scheme=generated,
        kind="offences",
        file_name="late.csv",
        imported_by_label="test",
        imported_at=timezone.now(),
    )
    person = PolicePerson.objects.filter(scheme=generated, person__isnull=False).first()
    assert person is not None
    PoliceOffence.objects.create(
        scheme=generated,
        police_person=person,
        offence_date=dt.date(2025, 1, 15),
        offence_code="92E",
        is_possession=True,
        batch=batch,
        row_key="late-1",
    )
    source = sources.frames_source(generated)
    assert source.kind == "snapshot" and not source.police_current
    assert snapshots.snapshot_due(generated) == "police data imported since"
    live, from_snapshot = _both(generated, *FILTERS[1])
    assert from_snapshot == live

    assert snapshots.snapshots_refresh() == {generated.code: "police data imported since"}
    assert FrameSnapshot.objects.filter(scheme=generated).count() == 1  # the old one replaced
    assert sources.frames_source(generated).police_current
    assert snapshots.snapshot_due(generated) == ""


def test_a_small_scheme_is_read_live_and_needs_no_snapshot(generated: Any, settings: Any) -> None:
    settings.EVALUATION_SNAPSHOT_MIN_REFERRALS = 2000
    assert snapshots.snapshot_due(generated) == ""
    assert sources.frames_source(generated).kind == "live"
    settings.EVALUATION_SNAPSHOT_MIN_REFERRALS = 1000
    assert snapshots.snapshot_due(generated) == "no snapshot yet"


def test_a_day_old_snapshot_is_due_again(generated: Any) -> None:
    snapshot = snapshots.snapshot_build(generated)
    later = snapshot.built_at + dt.timedelta(hours=25)
    assert snapshots.snapshot_due(generated, now=later) == "a day old"


def _dashboard(scheme: Any) -> Any:
    start, end, _ = FILTERS[0]
    return evaluation_report(
        scheme=scheme, start=start, end=end, as_of=TODAY, comparison_in_background=True
    )


def test_the_dashboard_queues_a_large_schemes_comparison_and_shows_it_once_worked_out(
    generated: Any, settings: Any
) -> None:
    from django_q.models import OrmQ

    snapshots.snapshot_build(generated)
    first = _dashboard(generated)
    matching = next(s for s in first.sections if s.key == "matching")
    assert matching.pending and not matching.tables
    assert "being worked out in the background" in matching.unavailable
    assert OrmQ.objects.count() == 1  # one job queued for the worker
    _dashboard(generated)
    assert OrmQ.objects.count() == 1  # a reload does not queue it again

    report = _dashboard(generated)
    assert next(s for s in report.sections if s.key == "matching").pending  # not yet worked out


def test_the_dashboard_shows_the_comparison_the_worker_put_in_the_cache(
    generated: Any, settings: Any
) -> None:
    from diversion.evaluation.report import comparison_prepare

    snapshots.snapshot_build(generated)
    start, end, _ = FILTERS[0]
    comparison_prepare(generated.pk, start.isoformat(), end.isoformat(), "", TODAY.isoformat())
    report = _dashboard(generated)
    matching = next(s for s in report.sections if s.key == "matching")
    assert not matching.pending and matching.tables
    live = evaluation_report(
        scheme=generated, start=start, end=end, as_of=TODAY, cached=False, snapshot=False
    )
    assert report.to_dict() == live.to_dict()


def test_a_small_scheme_waits_for_its_comparison(generated: Any) -> None:
    report = _dashboard(generated)  # no snapshot: read live, compared in the request
    matching = next(s for s in report.sections if s.key == "matching")
    assert not matching.pending and matching.tables


def test_a_status_change_keeps_the_comparison_but_a_new_referral_in_the_period_does_not(
    generated: Any, officer: Any
) -> None:
    from diversion.evaluation.inputs import Inputs
    from diversion.evaluation.report import comparison_key

    start, end, _ = FILTERS[0]

    def key() -> str:
        inputs = Inputs(
            scheme=generated,
            start=start,
            end=end,
            as_of=TODAY,
            local_authority="",
            authorities={},
            referrals=sources.LiveFrames(generated.pk).referrals(start, end),
        )
        return comparison_key(inputs)

    before = key()
    referral = Referral.objects.filter(
        scheme=generated, status=ReferralStatus.ASSESSMENT_BOOKED
    ).first()
    assert referral is not None
    referral_transition(
        referral_id=referral.pk,
        to_status=ReferralStatus.ASSESSED,
        actor=Actor(label="test"),
        reason="assessed",
    )
    assert key() == before
    moved = (
        Referral.objects.filter(scheme=generated)
        .exclude(stopped_at__date__range=(start, end))
        .first()
    )
    assert moved is not None
    Referral.objects.filter(pk=moved.pk).update(
        stopped_at=dt.datetime(2023, 1, 10, 12, tzinfo=dt.UTC)
    )
    assert key() != before


def test_a_period_the_snapshot_holds_nothing_for_reads_the_same_as_the_tables(
    generated: Any,
) -> None:
    snapshots.snapshot_build(generated)
    live, from_snapshot = _both(generated, dt.date(2010, 1, 1), dt.date(2010, 12, 31), "")
    assert from_snapshot == live
    assert "0 referrals in the period." in live["sections"][0]["summary"]


def test_the_analysts_dashboard_says_the_comparison_is_coming_and_links_to_reload(
    generated: Any, client_for: Any
) -> None:
    from django.urls import reverse

    from diversion.core.roles import Role

    snapshots.snapshot_build(generated)
    start, end, _ = FILTERS[0]
    query = {
        "scheme": generated.code,
        **{f"start_{i}": str(v) for i, v in enumerate((start.day, start.month, start.year))},
        **{f"end_{i}": str(v) for i, v in enumerate((end.day, end.month, end.year))},
    }
    response = client_for(Role.ANALYST, generated).get(reverse("evaluation:dashboard"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "being worked out in the background" in page
    assert 'href="?' in page and "#section-matching" in page
    assert "From referral to completion" in page  # everything else is there at once


def test_the_snapshot_command_builds_what_is_due_or_forced_and_refuses_an_unknown_scheme(
    generated: Any, settings: Any
) -> None:
    import io

    from django.core.management import CommandError, call_command

    def run(*args: str) -> str:
        out = io.StringIO()
        call_command("evaluation_snapshot", *args, stdout=out)
        return out.getvalue()

    settings.EVALUATION_SNAPSHOT_MIN_REFERRALS = 2000
    assert f"{generated.code}: not due." in run("--scheme", generated.code)
    assert not FrameSnapshot.objects.filter(scheme=generated).exists()
    built = run("--scheme", generated.code.lower(), "--force")
    assert f"{generated.code}: built (asked for)" in built and "referrals 1,500" in built
    assert FrameSnapshot.objects.filter(scheme=generated).count() == 1
    with pytest.raises(CommandError, match="No scheme with the code 'NOPE'"):
        run("--scheme", "NOPE")


def test_the_cached_report_is_rebuilt_when_a_course_place_changes(generated: Any) -> None:
    # A move to another session makes a new place without a status change; the course date it
    # carries is a published figure (days from referral to course).
    from diversion.courses.models import Enrolment
    from diversion.courses.tests.builders import course_type_for, in_days, session_on
    from diversion.evaluation.snapshot import data_version

    session = session_on(generated, course_type_for(generated), in_days(3))
    referral = Referral.objects.filter(scheme=generated).first()
    before = data_version(generated.pk)
    Enrolment.objects.create(referral=referral, session=session, seat=1)
    assert data_version(generated.pk) != before
