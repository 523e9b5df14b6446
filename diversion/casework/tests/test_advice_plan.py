"""The advice plan drafted from the assessment, the versioned library, and the summary sent
to the person with their consent."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.audit.services import Actor
from diversion.casework.advice_services import (
    advice_entry_save,
    advice_library_seed,
    advice_summary_send,
)
from diversion.casework.errors import CaseworkError
from diversion.casework.models import AdvicePlan, AdviceVersion
from diversion.casework.tests.helpers import assessment_answered, cannabis_only
from diversion.core.roles import Role
from diversion.messaging.models import Message


def _keys(referral: Any) -> set[str]:
    plan = AdvicePlan.objects.get(referral=referral)
    return {item.version.entry.key for item in plan.items.select_related("version__entry")}


def _use(frequency: str, routes: list[str], *together: str) -> dict[str, Any]:
    return {"frequency": frequency, "routes": routes, "age_first": 18, "with": list(together)}


DRAFTS = [
    pytest.param(
        {"drugs": cannabis_only()},
        {"cannabis-and-mental-health", "staying-safer"},
        {"opioids-and-naloxone", "alcohol-cutting-down", "cannabis-cutting-down"},
        id="occasional cannabis",
    ),
    pytest.param(
        {"drugs": cannabis_only("daily")},
        {"cannabis-and-mental-health", "cannabis-cutting-down"},
        {"cocaine-and-alcohol"},
        id="daily cannabis",
    ),
    pytest.param(
        {
            "drugs": {"cocaine": _use("weekly", ["snorted"], "alcohol")},
            "audit_c": [3, 2, 2],
            "audit": [1, 1, 0, 1, 1, 0, 0],
        },
        {"cocaine-and-alcohol", "alcohol-cutting-down"},
        {"cannabis-and-mental-health", "injecting-safely"},
        id="cocaine with drink, increasing-risk drinking",
    ),
    pytest.param(
        {
            "drugs": {
                "opioids": _use("daily", ["injected"], "benzodiazepines"),
                "benzodiazepines": _use("weekly", ["swallowed"]),
            },
            "health": {"injecting": "current", "overdose": "last_year"},
        },
        {"mixing-depressants", "opioids-and-naloxone", "injecting-safely"},
        {"cannabis-and-mental-health", "nitrous-oxide"},
        id="opioids and benzodiazepines, injecting",
    ),
    pytest.param(
        {
            "drugs": {"nitrous_oxide": _use("weekly", ["inhaled"])},
            "health": {"mental_health": "diagnosed"},
        },
        {"nitrous-oxide", "mental-health-support"},
        {"opioids-and-naloxone", "mixing-depressants"},
        id="nitrous oxide with mental health concerns",
    ),
]


@pytest.mark.parametrize(("answers", "included", "left_out"), DRAFTS)
def test_the_draft_plan_matches_the_assessment(
    referral: Any, worker: Any, answers: dict[str, Any], included: set[str], left_out: set[str]
) -> None:
    assessment_answered(referral, worker, complete=True, **answers)
    keys = _keys(referral)
    assert included <= keys, f"missing {included - keys}"
    assert not keys & left_out, f"should not include {keys & left_out}"


def test_editing_library_advice_makes_a_new_version_and_plans_keep_theirs(
    referral: Any, worker: Any, scheme: Any, make_user: Any
) -> None:
    assessment_answered(referral, worker, complete=True)
    plan = AdvicePlan.objects.get(referral=referral)
    item = plan.items.select_related("version__entry").get(version__entry__key="staying-safer")
    manager = make_user(Role.PROVIDER_MANAGER, scheme)
    version = advice_entry_save(
        actor=Actor.of(manager),
        scheme=scheme,
        key="staying-safer",
        title="Staying safer",
        body="New words",
        message_text="New summary",
        triggers=["always"],
        change_note="Plainer",
    )
    assert version.number == 2
    assert AdviceVersion.objects.filter(entry=item.version.entry).count() == 2
    item.refresh_from_db()
    assert item.version.number == 1
    assert item.version.body != "New words"


def test_the_library_seeds_once(scheme: Any) -> None:
    assert advice_library_seed(scheme=scheme) > 10
    assert advice_library_seed(scheme=scheme) == 0


def test_advice_with_an_unknown_trigger_is_refused(scheme: Any, make_user: Any) -> None:
    with pytest.raises(CaseworkError):
        advice_entry_save(
            actor=Actor.of(make_user(Role.PROVIDER_MANAGER, scheme)),
            scheme=scheme,
            key="x",
            title="X",
            body="Y",
            message_text="Z",
            triggers=["moon:full"],
        )
    assert not AdviceVersion.objects.filter(entry__key="x").exists()


def test_the_worker_edits_the_plan_and_a_plan_with_no_advice_is_refused(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    assessment_answered(referral, worker, complete=True)
    client = client_for(Role.WORKER, scheme)
    url = reverse("casework:plan", kwargs={"reference": referral.reference})
    before = _keys(referral)
    refused = client.post(url, {"personal_note": "Hello"})
    assert refused.status_code == 422
    assert "Select at least one piece of advice" in refused.content.decode()
    assert _keys(referral) == before
    naloxone = AdviceVersion.objects.get(entry__scheme=scheme, entry__key="opioids-and-naloxone")
    client.post(url, {"advice": [str(naloxone.pk)], "personal_note": "See you on the course"})
    assert _keys(referral) == {"opioids-and-naloxone"}
    assert AdvicePlan.objects.get(referral=referral).personal_note == "See you on the course"


def test_the_summary_is_sent_only_with_consent(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    assessment_answered(referral, worker, complete=True)
    client = client_for(Role.WORKER, scheme)
    url = reverse("casework:plan-send", kwargs={"reference": referral.reference})
    refused = client.post(url, {})
    assert refused.status_code == 422
    assert "Confirm the person agreed" in refused.content.decode()
    assert not Message.objects.filter(template="advice_summary").exists()
    assert client.post(url, {"consent": "on"}).status_code == 302
    sent = Message.objects.filter(template="advice_summary", referral=referral)
    assert {m.channel for m in sent} == {"sms", "email"}
    email = sent.get(channel="email")
    assert email.subject == "Your notes from today's call"
    assert "drug" not in email.subject.lower()
    assert AdvicePlan.objects.get(referral=referral).summary_sent_at is not None


def test_the_service_refuses_to_send_without_consent(referral: Any, worker: Any) -> None:
    assessment_answered(referral, worker, complete=True)
    with pytest.raises(CaseworkError):
        advice_summary_send(actor=Actor.of(worker), referral=referral, consent=False)
    assert (
        not Message.objects.exists()
        or not Message.objects.filter(template="advice_summary").exists()
    )


def test_showing_the_plan_is_audited_as_a_read_and_saving_it_only_as_a_change(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    assessment_answered(referral, worker, complete=True)
    client = client_for(Role.WORKER, scheme)
    url = reverse("casework:plan", kwargs={"reference": referral.reference})
    reads = AuditEvent.objects.filter(action="read", object_id=str(referral.pk))

    client.get(url)
    assert [(e.reason, e.actor.role) for e in reads] == [("advice plan", Role.WORKER)]
    naloxone = AdviceVersion.objects.get(entry__scheme=scheme, entry__key="opioids-and-naloxone")
    client.post(url, {"advice": [str(naloxone.pk)], "personal_note": ""})
    assert reads.count() == 1
    assert AuditEvent.objects.filter(object_type="casework.AdvicePlan", action="update").exists()
