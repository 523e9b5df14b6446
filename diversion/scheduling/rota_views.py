"""The provider manager's rota pages: each worker's weekly hours and time away."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.scheduling import selectors
from diversion.scheduling.forms import AwayForm, HoursForm
from diversion.scheduling.rotas import (
    availability_add,
    availability_remove,
    rota_exception_add,
    rota_exception_remove,
)
from diversion.schemes.selectors import schemes_for_user


@roles(Role.PROVIDER_MANAGER)
def rota_list(request: HttpRequest) -> HttpResponse:
    context = {
        "rows": selectors.rotas_for_user(user=request.user, today=timezone.localdate()),
        "to_reassign": selectors.bookings_needing_reassignment(user=request.user),
    }
    return render(request, "scheduling/rota_list.html", context)


@roles(Role.PROVIDER_MANAGER)
def rota_worker(request: HttpRequest, pk: int) -> HttpResponse:
    """A worker's weekly hours and time away, and the form to add hours."""
    worker = selectors.worker_for_user(user=request.user, pk=pk)
    schemes = list(schemes_for_user(user=request.user).filter(provider=worker.organisation))
    form = HoursForm(request.POST or None, schemes=schemes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            availability_add(
                actor=Actor.of(request.user),
                worker=worker,
                scheme=next(s for s in schemes if s.pk == data["scheme"]),
                weekday=data["weekday"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                slot_minutes=data["slot_minutes"],
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"Hours added to {worker.full_name}'s rota")
            return redirect("scheduling:rota", pk=worker.pk)
    rota = selectors.rota_of(worker=worker, today=timezone.localdate())
    return render(request, "scheduling/rota_worker.html", vars(rota) | {"form": form})


@roles(Role.PROVIDER_MANAGER)
def away_add(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_for_user(user=request.user, pk=pk)
    form = AwayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rota_exception_add(actor=Actor.of(request.user), worker=worker, **form.cleaned_data)
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"Time away added for {worker.full_name}")
            return redirect("scheduling:rota", pk=worker.pk)
    return render(request, "scheduling/away_add.html", {"worker": worker, "form": form})


@roles(Role.PROVIDER_MANAGER)
def hours_remove(request: HttpRequest, pk: int) -> HttpResponse:
    hours = selectors.availability_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("scheduling:rota", pk=hours.worker_id)
    availability_remove(actor=Actor.of(request.user), availability=hours)
    messages.success(request, "Hours removed from the rota")
    return redirect("scheduling:rota", pk=hours.worker_id)


@roles(Role.PROVIDER_MANAGER)
def away_remove(request: HttpRequest, pk: int) -> HttpResponse:
    exception = selectors.rota_exception_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("scheduling:rota", pk=exception.worker_id)
    worker_id = exception.worker_id
    rota_exception_remove(actor=Actor.of(request.user), exception=exception)
    messages.success(request, "Time away removed")
    return redirect("scheduling:rota", pk=worker_id)
