"""A scheme set up from nothing through the pages alone, by the people who would do it: the
scheme administrator (organisations, local authorities, the scheme, invitations, its policy),
the invitees (their links, passwords and security codes), the provider manager (course types
and a worker's rota), and then an officer makes the first referral. Every administrator's
change writes its audit row; no service is called directly and nothing is built by a factory
but the first administrator and their commissioner's office."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from diversion.accounts.models import Invitation, InvitationStatus, User
from diversion.accounts.tests.helpers import sign_in
from diversion.audit.models import AuditEvent
from diversion.core.roles import Role
from diversion.courses.models import CourseType
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import Slot
from diversion.schemes.models import LocalAuthority, Organisation, Scheme
from diversion.schemes.tests.factories import CommissionerFactory

pytestmark = pytest.mark.django_db(transaction=False)

PASSWORD = "plum orchard listens twice"


@contextmanager
def audited(object_type: str, action: str, count: int = 1) -> Iterator[None]:
    """The block writes exactly `count` new audit rows of this kind, by the signed-in actor."""
    before = AuditEvent.objects.filter(object_type=object_type, action=action).count()
    yield
    after = AuditEvent.objects.filter(object_type=object_type, action=action).count()
    assert after - before == count, f"{object_type} {action}: {after - before} rows, not {count}"


def _post(client: Client, name: str, data: dict[str, Any], **kwargs: Any) -> Any:
    response = client.post(reverse(name, kwargs=kwargs or None), data)
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response.status_code
    )
    return response


def _token_from_last_email() -> str:
    match = re.search(r"http://testserver/invitation/([\w-]+)/", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def _code(secret: str) -> str:
    """The authenticator app's code for the secret the set-up page shows."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{TOTP(key, step=30, digits=6).token():06d}"


def _accept(token: str) -> Client:
    """The invitee opens the link, sets a password, then their security code, as on a phone."""
    client = Client()
    url = reverse("accounts:invitation", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"password": PASSWORD, "confirm": PASSWORD})
    assert response["Location"] == reverse("accounts:set-up-second-factor")
    page = client.get(reverse("accounts:set-up-second-factor"))
    done = client.post(
        reverse("accounts:set-up-second-factor"), {"code": _code(page.context["secret"])}
    )
    assert done.status_code == 200 and "backup codes" in done.content.decode().lower()
    assert client.get(reverse("core:home")).status_code == 200
    return client


def _invite(
    admin: Client, emails: Any, name: str, email: str, organisation: Organisation, role: str
) -> Client:
    """`emails`: pytest-django's on-commit capture, which sends the invitation on commit."""
    with (
        emails(execute=True),
        audited("accounts.User", "create"),
        audited("accounts.Invitation", "create"),
    ):
        data = {
            "full_name": name,
            "email": email,
            "organisation": str(organisation.pk),
            "role": role,
        }
        response = admin.post(reverse("accounts:user-invite"), data)
    assert response.status_code == 302, response.context["form"].errors
    return _accept(_token_from_last_email())


def test_a_scheme_is_set_up_from_nothing_through_the_pages_and_takes_its_first_referral(
    reference_data: None, django_capture_on_commit_callbacks: Any
) -> None:
    commissioner: Any = CommissionerFactory(
        name="Office of the Police and Crime Commissioner, Wessex"
    )
    first_admin = User.objects.create_user(
        "admin@opcc.example",
        full_name="Sam Admin",
        role=Role.SCHEME_ADMIN,
        organisation=commissioner,
    )
    TOTPDevice.objects.create(user=first_admin, name="phone", confirmed=True)
    admin = sign_in(Client(), first_admin)
    home = admin.get(reverse("core:home")).content.decode()
    assert reverse("schemes:create") in home and reverse("organisations:list") in home

    # Organisations: the force and the provider.
    for kind, name in (("force", "Wessex Police"), ("provider", "Northgate Recovery")):
        with audited("schemes.Organisation", "create"):
            _post(admin, "organisations:create", {"kind": kind, "name": name, "short_name": ""})
    force = Organisation.objects.get(name="Wessex Police")
    provider = Organisation.objects.get(name="Northgate Recovery")
    listing = admin.get(reverse("organisations:list")).content.decode()
    assert "Wessex Police" in listing and "Northgate Recovery" in listing

    # Its areas, with their ONS codes (a bad code is refused and saves nothing).
    bad = admin.post(
        reverse("local_authorities:create"),
        {"name": "Nowhere", "ons_code": "X12345678", "force": str(force.pk)},
    )
    assert bad.status_code == 400 and "govuk-error-summary" in bad.content.decode()
    assert not LocalAuthority.objects.filter(name="Nowhere").exists()
    for code, name in (("E06000058", "Bournemouth"), ("e06000059 ", "Dorset")):
        with audited("schemes.LocalAuthority", "create"):
            _post(
                admin,
                "local_authorities:create",
                {"name": name, "ons_code": code, "force": str(force.pk)},
            )
    assert set(LocalAuthority.objects.values_list("ons_code", flat=True)) == {
        "E06000058",
        "E06000059",
    }

    # The scheme.
    scheme_page = {
        "code": "wsx",
        "name": "Wessex Drug Diversion",
        "force": str(force.pk),
        "provider": str(provider.pk),
        "commissioner": str(commissioner.pk),
        "local_authorities": [str(la.pk) for la in LocalAuthority.objects.all()],
        "go_live_0": "1",
        "go_live_1": "4",
        "go_live_2": "2026",
        "policy_version": "1",
        "outcome_code": "8",
        "eligible_drug_classes": ["B", "C"],
    }
    with audited("schemes.Scheme", "create"):
        response = _post(admin, "schemes:create", scheme_page)
    scheme = Scheme.objects.get(code="WSX")
    assert response["Location"] == reverse("schemes:detail", args=["WSX"])
    assert (scheme.force, scheme.provider, scheme.commissioner) == (force, provider, commissioner)
    assert scheme.go_live == dt.date(2026, 4, 1) and scheme.policy_version == 1
    assert scheme.local_authorities.count() == 2
    # The same code again: a clear error and nothing more saved.
    again = admin.post(reverse("schemes:create"), {**scheme_page, "name": "Another"})
    assert again.status_code == 400
    assert "A scheme with the code WSX already exists" in again.content.decode()
    assert Scheme.objects.count() == 1

    # Its people, invited by email; each link used once.
    emails = django_capture_on_commit_callbacks
    manager = _invite(
        admin, emails, "Pat Manager", "pat@northgate.example", provider, Role.PROVIDER_MANAGER
    )
    _invite(admin, emails, "Wren Worker", "wren@northgate.example", provider, Role.WORKER)
    officer = _invite(
        admin, emails, "PC Olu Officer", "olu@wessex.police.example", force, Role.OFFICER
    )
    assert Invitation.objects.filter(status=InvitationStatus.ACCEPTED).count() == 3
    worker = User.objects.get(email="wren@northgate.example")

    # The provider manager's course types, and the worker's hours (which make the slots).
    for code, name, audience in (
        ("wsx-adult", "Wessex adult course", "adult"),
        ("wsx-young", "Wessex young people's course", "young_people"),
    ):
        _post(
            manager,
            "courses:course-type-add",
            {
                "name": name,
                "code": code,
                "audience": audience,
                "substance": "",
                "duration_minutes": "150",
                "description": "",
                "modules": "Drugs and the law\nHarm reduction",
            },
        )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for offset in range(3):
        _post(
            manager,
            "scheduling:rota",
            {
                "weekday": str((tomorrow + dt.timedelta(days=offset)).weekday()),
                "starts_at": "09:00",
                "ends_at": "12:00",
                "slot_minutes": "45",
                "scheme": str(scheme.pk),
            },
            pk=worker.pk,
        )
    assert Slot.objects.filter(scheme=scheme, worker=worker).exists()

    # The administrator completes the policy: the course types the scheme offers.
    made = CourseType.objects.filter(provider=provider, code__in=["wsx-adult", "wsx-young"])
    course_types = [str(pk) for pk in made.values_list("pk", flat=True)]
    assert len(course_types) == 2
    with audited("schemes.Scheme", "update"):
        _post(
            admin,
            "schemes:policy-edit",
            {
                "outcome_code": "8",
                "eligible_drug_classes": ["B", "C"],
                "days_to_assessment": "14",
                "days_to_course": "56",
                "missed_appointments_limit": "2",
                "record_statement": "",
                "accepts_young_people": "True",
                "youth_minimum_age": "10",
                "slot_hold_minutes": "5",
                "course_types": course_types,
                "reason": "First policy",
            },
            code="WSX",
        )
    scheme.refresh_from_db()
    assert scheme.policy_version == 2

    # The officer's first referral, through the officer's pages.
    officer.get(reverse("officer:start"))
    person = {
        "given_name": "Jamie",
        "family_name": "Rowe",
        "date_of_birth_0": "14",
        "date_of_birth_1": "6",
        "date_of_birth_2": "1998",
        "sex": "male",
        "self_defined_ethnicity": "W1",
        "observed_ethnicity": "IC1",
        "mobile": "07911 123456",
        "email": "",
        "preferred_language": "en",
        "safe_to_text": "on",
        "discreet_messages": "on",
        "police_person_id": "",
    }
    assert officer.post(reverse("officer:person"), person).status_code == 302
    stopped = timezone.localtime() - dt.timedelta(minutes=5)
    stop = {
        "stopped_on_0": str(stopped.day),
        "stopped_on_1": str(stopped.month),
        "stopped_on_2": str(stopped.year),
        "stopped_time": f"{stopped:%H:%M}",
        "local_authority": str(LocalAuthority.objects.get(ons_code="E06000058").pk),
        "place": "Old Christchurch Road",
        "how_found": "stop_and_search",
        "drug_0": "cannabis",
        "drug_0_quantity": "2 grams",
    }
    assert officer.post(reverse("officer:stop"), stop)["Location"] == reverse("officer:consent")
    offer = officer.get(reverse("officer:consent"))
    assert "Eligible for diversion" in offer.content.decode()
    initial = offer.context["form"].initial
    with django_capture_on_commit_callbacks(execute=True):
        done = officer.post(
            reverse("officer:consent"),
            {
                "consent_to_contact": "on",
                "consent_to_share": "on",
                "slot": initial["slot"],
                "token": initial["token"],
            },
        )
    referral = Referral.objects.get()
    assert done["Location"] == reverse("officer:done", kwargs={"reference": referral.reference})
    assert referral.reference.startswith("WSX-") and referral.scheme_id == scheme.pk
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED

    # Every change the administrator made is on record with them as its actor.
    by_admin = AuditEvent.objects.filter(actor=first_admin).exclude(action="read")
    kinds = {(event.object_type, event.action) for event in by_admin}
    assert kinds >= {
        ("schemes.Organisation", "create"),
        ("schemes.LocalAuthority", "create"),
        ("schemes.Scheme", "create"),
        ("schemes.Scheme", "update"),
        ("accounts.User", "create"),
        ("accounts.Invitation", "create"),
    }
