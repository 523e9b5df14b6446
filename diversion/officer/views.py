"""The officer's referral at the scene: three pages and a confirmation, no JavaScript needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.roles import Role
from diversion.officer.drafts import (
    Draft,
    draft_clear,
    draft_clear_now,
    draft_load,
    draft_save,
)
from diversion.officer.forms import ConsentForm, PersonForm, StopForm, slot_label
from diversion.officer.selectors import (
    person_lookup,
    referral_confirmation,
    referral_submitted,
    slot_chosen,
)
from diversion.officer.services import (
    IneligibleReferral,
    consent_offer,
    eligibility_check_record,
    referral_submit,
)
from diversion.referrals.selectors import referrals_for_officer
from diversion.scheduling.services import SlotUnavailable
from diversion.schemes.policy import SUPPLY_INDICATORS
from diversion.schemes.selectors import scheme_for_officer


@roles(Role.OFFICER)
def start(request: HttpRequest) -> HttpResponse:
    draft_clear(request)
    return redirect("officer:person")


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
        draft.person = form.person_details()
        draft_save(request, draft)
        return redirect("officer:stop")
    context = {"form": form, "scheme": scheme, "step": 1, "fresh": draft.person is None}
    return render(request, "officer/person.html", context)


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
        "supply_suspected": ""
        if stop.supply_suspected is None
        else "yes"
        if stop.supply_suspected
        else "no",
        "supply_reason": stop.supply_reason,
        "identity_answer": stop.identity_answer,
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
        return redirect("officer:person")
    person = draft.person
    form = StopForm(
        request.POST or None,
        initial=_stop_initial(draft),
        scheme=scheme,
        date_of_birth=person.date_of_birth,
    )
    actor = Actor.of(request.user)
    decision = None
    # "Add another drug" shows the page again as typed, checked only at "Check eligibility".
    if request.method == "POST" and not form.adding_a_drug() and form.is_valid():
        stop = form.stop_details()
        decision, history = eligibility_check_record(
            officer=request.user, scheme=scheme, person=person, stop=stop, stop_token=draft.token
        )
        if decision.eligible:
            draft.stop = stop
            draft_save(request, draft)
            return redirect("officer:consent")
    else:
        history = person_lookup(
            actor=actor,
            scheme=scheme,
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            police_person_id=person.police_person_id,
        )
    context = {
        "form": form,
        "scheme": scheme,
        "history": history,
        "decision": decision,
        "person": person,
        "step": 2,
        "supply_refusals": [SUPPLY_INDICATORS[c] for c in scheme.automatic_supply_refusals],
        "show_adult": form.adult_needed(timezone.localdate()),
        "draft_token": draft.token,
    }
    return render(request, "officer/stop.html", context, status=422 if decision else 200)


@roles(Role.OFFICER)
def consent_page(request: HttpRequest) -> HttpResponse:
    scheme = scheme_for_officer(user=request.user)
    draft = draft_load(request)
    if draft.person is None or draft.stop is None:
        if request.method == "POST":
            # A retry after the submission went through (its draft is gone); while the draft is
            # there, the service itself returns the referral made with this key.
            done = referral_submitted(
                officer=request.user, idempotency_key=request.POST.get("token", "")
            )
            if done is not None:
                return redirect("officer:done", reference=done.reference)
        return redirect("officer:stop" if draft.person else "officer:person")
    form = None
    if request.method == "POST":
        # Only the chosen slot is needed to validate; the service checks it is still free and
        # checks eligibility again inside its transaction.
        form = ConsentForm(
            request.POST, slots=slot_chosen(scheme=scheme, slot_id=request.POST.get("slot"))
        )
        if form.is_valid():
            try:
                result = referral_submit(
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
            except IneligibleReferral:
                return redirect("officer:stop")
            else:
                draft_clear(request)
                return redirect("officer:done", reference=result.referral.reference)
    try:
        offer = consent_offer(
            scheme=scheme,
            person=draft.person,
            stop=draft.stop,
            token=draft.token,
            after=None if form else _parse_after(request.GET.get("after")),
            hold=form is None,  # a form sent back keeps the officer's own choice
        )
    except IneligibleReferral:
        return redirect("officer:stop")
    if form is None:
        held = str(offer.held.pk) if offer.held else ""
        form = ConsentForm(slots=offer.slots, initial={"token": draft.token, "slot": held})
    else:
        form.slots_offer(offer.slots)
    context = {
        "form": form,
        "scheme": scheme,
        "decision": offer.decision,
        "slots": offer.slots,
        "later": offer.later,
        "step": 3,
        "person": draft.person,
    }
    return render(request, "officer/consent.html", context)


def _parse_after(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else None


@roles(Role.OFFICER)
def done(request: HttpRequest, reference: str) -> HttpResponse:
    confirmation = referral_confirmation(officer=request.user, reference=reference)
    slot = confirmation.appointment
    context = {
        "referral": confirmation.referral,
        "appointment": slot_label(slot) if slot else "",
        "drugs": confirmation.drugs,
    }
    return render(request, "officer/done.html", context)


@roles(Role.OFFICER)
def my_referrals(request: HttpRequest) -> HttpResponse:
    referrals = referrals_for_officer(officer=request.user)
    return render(request, "officer/my_referrals.html", {"referrals": referrals})


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
        history = person_lookup(
            actor=Actor.of(request.user),
            scheme=scheme,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            police_person_id=data.get("police_person_id", ""),
        )
    return render(request, "officer/_lookup.html", {"history": history})
