"""The provider manager's rota pages: each worker's weekly hours and time away."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.scheduling import selectors
from diversion.scheduling.forms import AwayForm, HoursForm
from diversion.scheduling.models import Availability, RotaException
from diversion.scheduling.rotas import (
    availability_add,
    availability_remove,
    rota_exception_add,
    rota_exception_remove,
)
from diversion.schemes.selectors import schemes_for_user


def _worker(request: HttpRequest, pk: int) -> Any:
    worker = selectors.workers_for_user(user=request.user).filter(pk=pk).first()
    if worker is None:
        raise Http404("No such worker.")
    return worker


@roles(Role.PROVIDER_MANAGER)
def rota_list(request: HttpRequest) -> HttpResponse:
    workers = list(selectors.workers_for_user(user=request.user))
    hours = Availability.objects.filter(worker__in=workers).order_by("weekday", "starts_at")
    today = timezone.localdate()
    away = RotaException.objects.filter(worker__in=workers, ends_on__gte=today)
    rows = [
        {
            "worker": worker,
            "hours": [h for h in hours if h.worker_id == worker.pk],
            "away": [e for e in away if e.worker_id == worker.pk],
        }
        for worker in workers
    ]
    context = {
        "rows": rows,
        "to_reassign": selectors.bookings_needing_reassignment(user=request.user),
    }
    return render(request, "scheduling/rota_list.html", context)


@roles(Role.PROVIDER_MANAGER)
def rota_worker(request: HttpRequest, pk: int) -> HttpResponse:
    """A worker's weekly hours and time away, and the form to add hours."""
    worker = _worker(request, pk)
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
    context = {
        "worker": worker,
        "form": form,
        "hours": Availability.objects.filter(worker=worker).select_related("scheme"),
        "away": RotaException.objects.filter(worker=worker, ends_on__gte=timezone.localdate()),
    }
    return render(request, "scheduling/rota_worker.html", context)


@roles(Role.PROVIDER_MANAGER)
def away_add(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _worker(request, pk)
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
    workers = selectors.workers_for_user(user=request.user)
    hours = Availability.objects.filter(pk=pk, worker__in=workers).first()
    if hours is None:
        raise Http404("No such hours.")
    if request.method != "POST":
        return redirect("scheduling:rota", pk=hours.worker_id)
    availability_remove(actor=Actor.of(request.user), availability=hours)
    messages.success(request, "Hours removed from the rota")
    return redirect("scheduling:rota", pk=hours.worker_id)


@roles(Role.PROVIDER_MANAGER)
def away_remove(request: HttpRequest, pk: int) -> HttpResponse:
    workers = selectors.workers_for_user(user=request.user)
    exception = RotaException.objects.filter(pk=pk, worker__in=workers).first()
    if exception is None:
        raise Http404("No such time away.")
    if request.method != "POST":
        return redirect("scheduling:rota", pk=exception.worker_id)
    worker_id = exception.worker_id
    rota_exception_remove(actor=Actor.of(request.user), exception=exception)
    messages.success(request, "Time away removed")
    return redirect("scheduling:rota", pk=worker_id)
