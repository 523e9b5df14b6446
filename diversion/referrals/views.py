"""The officer's referral at the scene: three pages and a confirmation, no JavaScript needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.access import roles
from diversion.core.roles import Role
from diversion.referrals import services
from diversion.referrals.details import PersonDetails, StopDetails
from diversion.referrals.drafts import (
    Draft,
    draft_clear,
    draft_clear_now,
    draft_load,
    draft_save,
)
from diversion.referrals.forms import OUTSIDE_AREA, ConsentForm, PersonForm, StopForm, slot_label
from diversion.referrals.models import Referral
from diversion.referrals.selectors import (
    PersonHistory,
    person_history,
    referral_for_officer,
    referrals_for_officer,
)
from diversion.scheduling.models import Slot
from diversion.scheduling.selectors import distinct_times, slots_available
from diversion.scheduling.services import SlotUnavailable, slot_hold
from diversion.schemes.selectors import scheme_for_officer

SLOTS_SHOWN = 8


def _audit_lookup(request: HttpRequest, scheme: Any, history: PersonHistory) -> None:
    """Looking a person up reads their referral history: audited like any read."""
    if history.person_id is None and not history.possible_matches:
        return
    with transaction.atomic():
        audit_record(
            actor=Actor.of(request.user),
            action=AuditAction.READ,
            object_type="people.Person",
            object_id=str(history.person_id or ""),
            scheme=scheme,
            reason="eligibility look-up at the scene",
            changes={"possible_matches": len(history.possible_matches)},
        )


@roles(Role.OFFICER)
def start(request: HttpRequest) -> HttpResponse:
    draft_clear(request)
    return redirect("referrals:person")


@roles(Role.OFFICER)
def person_page(request: HttpRequest) -> HttpResponse:
    scheme = scheme_for_officer(user=request.user)
    draft = draft_load(request)
    initial: dict[str, Any] = {"discreet_messages": True, "preferred_language": "en"}
    if draft.person:
        initial = draft.person.to_json()
        dob = draft.person.date_of_birth
        initial["date_of_birth"] = [dob.day, dob.month, dob.year]
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft.person = PersonDetails(
            **{name: data[name] for name in PersonDetails.__dataclass_fields__}
        )
        draft_save(request, draft)
        return redirect("referrals:stop")
    return render(request, "referrals/person.html", {"form": form, "scheme": scheme, "step": 1})


def _stop_initial(draft: Draft) -> dict[str, Any]:
    if draft.stop is None:
        now = timezone.localtime()
        return {"stopped_on": [now.day, now.month, now.year], "stopped_time": f"{now:%H:%M}"}
    stop = draft.stop
    local = timezone.localtime(stop.stopped_at)
    initial: dict[str, Any] = {
        "stopped_on": [local.day, local.month, local.year],
        "stopped_time": f"{local:%H:%M}",
        "local_authority": str(stop.local_authority_id),
        "place": stop.place,
        "how_found": stop.how_found,
        "supply_indicators": list(stop.supply_indicators),
        "other_offences": list(stop.other_offences),
        "circumstances": list(stop.circumstances),
        "appropriate_adult_name": stop.appropriate_adult_name,
        "appropriate_adult_relationship": stop.appropriate_adult_relationship,
        "appropriate_adult_phone": stop.appropriate_adult_phone,
    }
    for row, drug in enumerate(stop.drugs):
        initial[f"drug_{row}"] = drug.code
        initial[f"drug_{row}_quantity"] = drug.quantity
        if drug.code == "other":
            initial[f"drug_{row}_other"], initial[f"drug_{row}_class"] = drug.name, drug.drug_class
    return initial


@roles(Role.OFFICER)
def stop_page(request: HttpRequest) -> HttpResponse:
    scheme = scheme_for_officer(user=request.user)
    draft = draft_load(request)
    if draft.person is None:
        return redirect("referrals:person")
    person = draft.person
    history = person_history(
        scheme=scheme,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        police_person_id=person.police_person_id,
    )
    _audit_lookup(request, scheme, history)
    form = StopForm(
        request.POST or None,
        initial=_stop_initial(draft),
        scheme=scheme,
        date_of_birth=person.date_of_birth,
    )
    decision = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area = data["local_authority"]
        stop = StopDetails(
            stopped_at=data["stopped_at"],
            local_authority_id=int(area) if area != OUTSIDE_AREA else -1,
            how_found=data["how_found"],
            drugs=data["drugs"],
            place=data["place"],
            supply_indicators=tuple(data["supply_indicators"]),
            other_offences=tuple(data["other_offences"]),
            circumstances=tuple(data["circumstances"]),
            appropriate_adult_name=data["appropriate_adult_name"].strip(),
            appropriate_adult_relationship=data["appropriate_adult_relationship"].strip(),
            appropriate_adult_phone=data["appropriate_adult_phone"],
        )
        decision, history = services.eligibility_check(scheme=scheme, person=person, stop=stop)
        if decision.eligible:
            draft.stop = stop
            draft_save(request, draft)
            return redirect("referrals:consent")
    context = {
        "form": form,
        "scheme": scheme,
        "history": history,
        "decision": decision,
        "person": person,
        "step": 2,
    }
    return render(request, "referrals/stop.html", context, status=422 if decision else 200)


def _slots(scheme: Any, token: str, after: dt.datetime | None) -> list[Any]:
    return distinct_times(
        slots_available(scheme_id=scheme.pk, token=token, after=after), limit=SLOTS_SHOWN
    )


@roles(Role.OFFICER)
def consent_page(request: HttpRequest) -> HttpResponse:
    scheme = scheme_for_officer(user=request.user)
    draft = draft_load(request)
    if draft.person is None or draft.stop is None:
        if request.method == "POST":
            # A retry after the submission went through (its draft is gone); while the draft is
            # there, the service itself returns the referral made with this key.
            done = Referral.objects.filter(
                officer_id=request.user.pk, idempotency_key=request.POST.get("token", "")
            ).first()
            if done is not None:
                return redirect("referrals:done", reference=done.reference)
        return redirect("referrals:stop" if draft.person else "referrals:person")
    if request.method == "POST":
        # Only the chosen slot is needed to validate; the service checks it is still free and
        # checks eligibility again inside its transaction.
        chosen = list(
            Slot.objects.filter(pk=_int(request.POST.get("slot")), scheme=scheme).order_by()
        )
        form = ConsentForm(request.POST, slots=chosen)
        if form.is_valid():
            try:
                result = services.referral_create(
                    officer=request.user,
                    scheme=scheme,
                    person=draft.person,
                    stop=draft.stop,
                    consent_to_contact=True,
                    consent_to_share=True,
                    slot_id=int(form.cleaned_data["slot"]),
                    idempotency_key=form.cleaned_data["token"],
                    hold_token=draft.token,
                    last_in_transaction=draft_clear_now(request),
                )
            except SlotUnavailable as error:
                form.add_error("slot", f"{error}. Choose another time")
            except services.IneligibleReferral:
                return redirect("referrals:stop")
            else:
                draft_clear(request)
                return redirect("referrals:done", reference=result.referral.reference)
        slots = _slots(scheme, draft.token, None)
        form.fields["slot"].choices = ConsentForm(slots=slots).fields["slot"].choices  # type: ignore[attr-defined]
    else:
        slots = _slots(scheme, draft.token, _parse_after(request.GET.get("after")))
        held = _hold_first_free(slots, scheme, draft.token)
        form = ConsentForm(
            slots=slots, initial={"token": draft.token, "slot": str(held.pk) if held else ""}
        )
    decision, _history = services.eligibility_check(
        scheme=scheme, person=draft.person, stop=draft.stop
    )
    if not decision.eligible:
        return redirect("referrals:stop")
    later = slots[-1].starts_at if len(slots) == SLOTS_SHOWN else None
    context = {
        "form": form,
        "scheme": scheme,
        "decision": decision,
        "slots": slots,
        "later": later,
        "step": 3,
        "person": draft.person,
    }
    return render(request, "referrals/consent.html", context)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


def _parse_after(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else None


def _hold_first_free(slots: list[Any], scheme: Any, token: str) -> Any:
    """Hold the soonest slot nobody else is holding; it is the one offered first."""
    for slot in slots[:3]:
        try:
            return slot_hold(
                slot_id=slot.pk, scheme_id=scheme.pk, token=token, minutes=scheme.slot_hold_minutes
            )
        except SlotUnavailable:
            continue
    return slots[0] if slots else None


@roles(Role.OFFICER)
def done(request: HttpRequest, reference: str) -> HttpResponse:
    referral = referral_for_officer(officer=request.user, reference=reference)
    with transaction.atomic():
        audit_record(
            actor=Actor.of(request.user),
            action=AuditAction.READ,
            obj=referral,
            scheme=referral.scheme,
            reason="officer's confirmation page",
        )
    booking = referral.bookings.select_related("slot").order_by("-created_at").first()
    context = {
        "referral": referral,
        "appointment": slot_label(booking.slot) if booking else "",
        "drugs": referral.drugs.all(),
    }
    return render(request, "referrals/done.html", context)


@roles(Role.OFFICER)
def my_referrals(request: HttpRequest) -> HttpResponse:
    referrals = referrals_for_officer(officer=request.user)
    return render(request, "referrals/my_referrals.html", {"referrals": referrals})


@require_GET
@roles(Role.OFFICER)
def lookup(request: HttpRequest) -> HttpResponse:
    """As soon as name and date of birth are typed (htmx), what eligibility needs to know."""
    scheme = scheme_for_officer(user=request.user)
    form = PersonForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    history = None
    if data.get("given_name") and data.get("family_name") and data.get("date_of_birth"):
        history = person_history(
            scheme=scheme,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            police_person_id=data.get("police_person_id", ""),
        )
        _audit_lookup(request, scheme, history)
    return render(request, "referrals/_lookup.html", {"history": history})
