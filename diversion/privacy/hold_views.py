"""The legal-hold pages: the holds in the user's schemes, placing one, lifting one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.privacy import selectors
from diversion.privacy.forms import HoldForm, LiftForm
from diversion.privacy.holds import lift_hold, place_hold

RIGHTS = (Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER)


@roles(*RIGHTS)
def hold_list(request: HttpRequest) -> HttpResponse:
    show_lifted = request.GET.get("show") == "all"
    holds = selectors.holds_for_user(user=request.user, include_lifted=show_lifted)
    return render(request, "privacy/hold_list.html", {"holds": holds, "show_lifted": show_lifted})


@never_cache
@roles(*RIGHTS)
def hold_new(request: HttpRequest) -> HttpResponse:
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referral = selectors.referral_for_user(user=request.user, reference=data["reference"])
        if referral is None:
            form.add_error("reference", "No referral with this reference in your schemes")
        else:
            target = (
                {"person": referral.person} if data["scope"] == "person" else {"referral": referral}
            )
            try:
                place_hold(
                    actor=request.user,
                    kind=data["kind"],
                    reason=data["reason"],
                    review_on=data["review_on"],
                    **target,
                )
            except ValidationError as error:
                copy_validation_errors(form, error)
            else:
                messages.success(request, "Legal hold placed")
                return redirect("privacy:holds")
    status = 422 if form.errors else 200
    return render(request, "privacy/hold_new.html", {"form": form}, status=status)


@never_cache
@roles(*RIGHTS)
def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    hold = selectors.hold_for_user(user=request.user, pk=pk)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lift_hold(actor=request.user, hold_id=hold.pk, reason=form.cleaned_data["lift_reason"])
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, "Legal hold lifted")
            return redirect("privacy:holds")
    status = 422 if form.errors else 200
    return render(request, "privacy/hold_lift.html", {"form": form, "hold": hold}, status=status)
