"""The set-up pages refuse bad input with the GOV.UK error summary and save nothing, keep each
administrator to their own schemes' organisations, and audit every change they make."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM, Actor
from diversion.core.roles import Role
from diversion.schemes.models import LocalAuthority, Organisation, Scheme
from diversion.schemes.organisation_services import local_authority_create, organisation_create
from diversion.schemes.setup_services import SchemeDetails, scheme_create
from diversion.schemes.tests.factories import (
    ForceFactory,
    LocalAuthorityFactory,
    ProviderFactory,
)

pytestmark = pytest.mark.django_db


def _scheme_page(scheme: Any, **changes: Any) -> dict[str, Any]:
    """A valid set-up page for a new scheme of the same organisations."""
    authority: Any = LocalAuthority.objects.filter(ons_code="E08000099").first()
    authority = authority or LocalAuthorityFactory(force=scheme.force, ons_code="E08000099")
    data = {
        "code": "NEW",
        "name": "A new scheme",
        "force": str(scheme.force_id),
        "provider": str(scheme.provider_id),
        "commissioner": str(scheme.commissioner_id),
        "local_authorities": [str(authority.pk)],
        "go_live_0": "1",
        "go_live_1": "10",
        "go_live_2": "2026",
        "policy_version": "1",
        "outcome_code": "22",
        "eligible_drug_classes": ["B"],
        **changes,
    }
    return {k: v for k, v in data.items() if v is not None}


def _refused(response: Any, message: str) -> None:
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in page, page


def _rows() -> int:
    return AuditEvent.objects.exclude(action="read").count()


def test_a_scheme_is_set_up_with_its_policy_valid_and_audited(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    response = admin.post(reverse("schemes:create"), _scheme_page(scheme, code="nw"))
    assert response.status_code == 302
    made = Scheme.objects.get(code="NW")
    assert made.outcome_code == 22 and made.eligible_drug_classes == ["B"]
    event = AuditEvent.objects.get(object_type="schemes.Scheme", object_id=str(made.pk))
    assert event.action == "create" and event.scheme_id == made.pk
    assert event.changes["code"] == "NW" and event.changes["local_authorities"] == ["E08000099"]
    detail = admin.get(reverse("schemes:detail", args=["NW"])).content.decode()
    assert "scheme set up" in detail and scheme.force.name in detail


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "WM1"}, "Enter 2 or 3 capital letters, like WMD"),
        ({"code": ""}, "Enter the scheme code"),
        ({"name": ""}, "Enter the scheme&#x27;s name"),
        ({"local_authorities": None}, "Choose at least one local authority the scheme covers"),
        ({"eligible_drug_classes": None}, "Select at least one drug class the scheme accepts"),
        ({"go_live_0": "31", "go_live_1": "2"}, "Go-live date must be a real date"),
        (
            {"go_live_2": "2018"},
            "Outcome 22 can only be recorded from 1 April 2019",
        ),
        ({"policy_version": "0"}, "The policy version must be 1 or more"),
        ({"force": "99999999999999999999999"}, "Choose the police force from the list"),
    ],
)
def test_bad_scheme_details_are_refused_and_save_nothing(
    scheme: Any, client_for: Callable[..., Client], changes: dict[str, Any], message: str
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    before = (Scheme.objects.count(), _rows())
    _refused(admin.post(reverse("schemes:create"), _scheme_page(scheme, **changes)), message)
    assert (Scheme.objects.count(), _rows()) == before


def test_a_duplicate_scheme_code_is_a_clear_error_and_saves_nothing(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    before = (Scheme.objects.count(), _rows())
    response = admin.post(reverse("schemes:create"), _scheme_page(scheme, code=scheme.code.lower()))
    _refused(response, f"A scheme with the code {scheme.code} already exists")
    same_name = admin.post(reverse("schemes:create"), _scheme_page(scheme, name=scheme.name))
    _refused(same_name, f"A scheme called {scheme.name} already exists")
    assert (Scheme.objects.count(), _rows()) == before


def test_a_local_authority_of_another_force_is_refused(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    elsewhere: Any = ForceFactory()
    LocalAuthorityFactory(force=elsewhere)  # in reach (no users, no scheme) but not this force's
    other = LocalAuthority.objects.get(force=elsewhere)
    page = _scheme_page(scheme)
    page["local_authorities"].append(str(other.pk))
    _refused(admin.post(reverse("schemes:create"), page), f"is not in {scheme.force}")
    assert not Scheme.objects.filter(code="NEW").exists()


def test_an_organisation_of_someone_elses_scheme_cannot_be_chosen_nor_opened(
    scheme: Any, other_scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    # The other scheme's force is not offered, and posting it anyway is refused.
    page = admin.get(reverse("schemes:create")).content.decode()
    assert other_scheme.force.name not in page and scheme.force.name in page
    taken = _scheme_page(scheme, force=str(other_scheme.force_id))
    _refused(admin.post(reverse("schemes:create"), taken), "Choose the police force from the list")
    # Its pages are not found, never shown.
    for url in (
        reverse("organisations:edit", args=[other_scheme.force_id]),
        reverse("local_authorities:edit", args=[other_scheme.local_authorities.get().pk]),
        reverse("schemes:edit", args=[other_scheme.code]),
    ):
        assert admin.get(url).status_code == 404
        assert admin.post(url, {"name": "Taken over", "reason": "x"}).status_code == 404
    listing = admin.get(reverse("organisations:list")).content.decode()
    assert other_scheme.provider.name not in listing
    # The service holds the same line for any caller that is a person.
    details = SchemeDetails(
        name="Takeover",
        force=other_scheme.force,
        provider=scheme.provider,
        commissioner=scheme.commissioner,
        local_authorities=list(other_scheme.local_authorities.all()),
        go_live=scheme.go_live,
    )
    user = scheme.commissioner.users.get(role=Role.SCHEME_ADMIN)
    with pytest.raises(ValidationError) as refused:
        scheme_create(
            actor=Actor.of(user),
            code="TK",
            details=details,
            outcome_code=8,
            eligible_drug_classes=["B"],
        )
    assert "force" in refused.value.message_dict
    assert not Scheme.objects.filter(code="TK").exists()


def test_the_administrators_own_organisation_must_be_the_force_or_the_commissioner(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    stranger = organisation_create(actor=SYSTEM, kind="commissioner", name="Another PCC")
    response = admin.post(
        reverse("schemes:create"), _scheme_page(scheme, commissioner=str(stranger.pk))
    )
    _refused(response, "Your own organisation must be the scheme&#x27;s police force")
    assert not Scheme.objects.filter(code="NEW").exists()


def test_changing_a_schemes_details_needs_a_reason_keeps_its_code_and_is_audited(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("schemes:edit", args=[scheme.code])
    form = admin.get(url).context["form"]
    assert "code" not in form.fields
    data = {
        "name": "Renamed scheme",
        "force": str(scheme.force_id),
        "provider": str(scheme.provider_id),
        "commissioner": str(scheme.commissioner_id),
        "local_authorities": [str(la.pk) for la in scheme.local_authorities.all()],
        "go_live_0": "2",
        "go_live_1": "4",
        "go_live_2": "2021",
        "code": "ZZZ",
    }
    _refused(admin.post(url, data), "Enter the reason for the change")
    scheme.refresh_from_db()
    assert scheme.name != "Renamed scheme"
    assert admin.post(url, {**data, "reason": "New name from April"}).status_code == 302
    scheme.refresh_from_db()
    assert scheme.name == "Renamed scheme" and scheme.code != "ZZZ"
    event = AuditEvent.objects.get(object_type="schemes.Scheme", action="update")
    assert event.reason == "New name from April"
    assert event.changes["scheme_name"]["to"] == "Renamed scheme"
    assert set(event.changes) == {"scheme_name", "go_live"}


def test_organisations_are_set_up_changed_and_audited_and_a_duplicate_name_saves_nothing(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    data = {"kind": "provider", "name": "Harbour Recovery", "short_name": "HR"}
    assert admin.post(reverse("organisations:create"), data).status_code == 302
    made = Organisation.objects.get(name="Harbour Recovery")
    before = _rows()
    duplicate = admin.post(reverse("organisations:create"), {**data, "name": "harbour recovery"})
    _refused(duplicate, "An organisation called harbour recovery already exists")
    assert Organisation.objects.filter(name__iexact="harbour recovery").count() == 1
    assert _rows() == before
    url = reverse("organisations:edit", args=[made.pk])
    assert admin.post(url, {**data, "kind": "force", "name": "Harbour"}).status_code == 302
    made.refresh_from_db()
    assert (made.kind, made.name) == ("force", "Harbour")
    changed = AuditEvent.objects.filter(object_type="schemes.Organisation", object_id=str(made.pk))
    assert list(changed.order_by("pk").values_list("action", flat=True)) == ["create", "update"]


def test_the_kind_of_an_organisation_people_depend_on_cannot_change(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("organisations:edit", args=[scheme.provider_id])
    page = admin.get(url).content.decode()
    assert reverse("accounts:identity-provider", args=[scheme.provider_id]) in page
    data = {"kind": "force", "name": scheme.provider.name, "short_name": ""}
    _refused(admin.post(url, data), "The kind cannot change")
    scheme.provider.refresh_from_db()
    assert scheme.provider.kind == "provider"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("E0800002", "Enter the local authority&#x27;s ONS code"),
        ("S12000036", "Enter the local authority&#x27;s ONS code"),
        ("E05000001", "Enter the local authority&#x27;s ONS code"),
        ("", "Enter the local authority&#x27;s ONS code"),
    ],
)
def test_a_bad_ons_code_is_refused(
    scheme: Any, client_for: Callable[..., Client], code: str, message: str
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    data = {"name": "Somewhere", "ons_code": code, "force": str(scheme.force_id)}
    _refused(admin.post(reverse("local_authorities:create"), data), message)
    assert not LocalAuthority.objects.filter(name="Somewhere").exists()


def test_local_authorities_are_added_changed_and_their_codes_unique(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    data = {"name": "Cardiff", "ons_code": "w06 000015", "force": str(scheme.force_id)}
    assert admin.post(reverse("local_authorities:create"), data).status_code == 302
    cardiff = LocalAuthority.objects.get(ons_code="W06000015")
    _refused(
        admin.post(reverse("local_authorities:create"), {**data, "name": "Again"}),
        "A local authority with the code W06000015 already exists",
    )
    url = reverse("local_authorities:edit", args=[cardiff.pk])
    assert admin.post(url, {**data, "name": "Cardiff Council"}).status_code == 302
    actions = AuditEvent.objects.filter(
        object_type="schemes.LocalAuthority", object_id=str(cardiff.pk)
    ).values_list("action", flat=True)
    assert sorted(actions) == ["create", "update"]


def test_a_local_authority_in_a_scheme_cannot_move_to_another_force(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    fresh = organisation_create(actor=SYSTEM, kind="force", name="Fresh Constabulary")
    covered = scheme.local_authorities.get()
    url = reverse("local_authorities:edit", args=[covered.pk])
    data = {"name": covered.name, "ons_code": "E08000025", "force": str(fresh.pk)}
    _refused(admin.post(url, data), f"Remove it from {scheme.name}")
    covered.refresh_from_db()
    assert covered.force_id == scheme.force_id


def test_an_organisation_just_set_up_is_in_reach_until_it_is_in_a_scheme(
    scheme: Any, other_scheme: Any, client_for: Callable[..., Client], make_user: Any
) -> None:
    fresh = organisation_create(actor=SYSTEM, kind="provider", name="Just Set Up")
    ours, theirs = (
        client_for(Role.SCHEME_ADMIN, scheme),
        client_for(Role.SCHEME_ADMIN, other_scheme),
    )
    url = reverse("organisations:edit", args=[fresh.pk])
    assert ours.get(url).status_code == 200 and theirs.get(url).status_code == 200
    scheme.provider = fresh
    scheme.save()
    assert ours.get(url).status_code == 200 and theirs.get(url).status_code == 404


def test_the_system_sets_up_a_local_authority_without_reach_limits() -> None:
    force: Any = ForceFactory()
    provider: Any = ProviderFactory()
    made = local_authority_create(actor=SYSTEM, ons_code="E09000001", name="City", force=force)
    assert made.ons_code == "E09000001"
    with pytest.raises(ValidationError):
        local_authority_create(actor=SYSTEM, ons_code="E09000001", name="Again", force=force)
    with pytest.raises(ValidationError):
        local_authority_create(actor=SYSTEM, ons_code="E09000002", name="Odd", force=provider)
