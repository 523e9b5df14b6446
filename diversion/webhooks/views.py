from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.schemes.models import Organisation
from diversion.webhooks import selectors, services, signing
from diversion.webhooks.events import EVENTS
from diversion.webhooks.forms import SubscriptionForm

RECENT_DELIVERIES = 50


@roles(Role.SCHEME_ADMIN)
def subscription_list(request: HttpRequest) -> HttpResponse:
    context = {
        "subscriptions": selectors.subscriptions_for_admin(user=request.user),
        "deliveries": selectors.deliveries_for_admin(user=request.user)[:RECENT_DELIVERIES],
        "events": EVENTS,
    }
    return render(request, "webhooks/subscription_list.html", context)


@never_cache
@roles(Role.SCHEME_ADMIN)
def subscription_create(request: HttpRequest) -> HttpResponse:
    forces = selectors.forces_for_admin(user=request.user)
    if not forces.exists():
        messages.error(request, "None of your schemes has a police force to send events to")
        return redirect("webhooks:list")
    form = SubscriptionForm(request.POST or None, forces=forces)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.webhook_subscription_create(
                actor=Actor.of(request.user),
                organisation=form.force(),
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            # Shown on this response only: the secret is never displayed again.
            context = {
                "subscription": subscription,
                "secret": secret,
                "events": [EVENTS[name] for name in subscription.events],
                "header": signing.SIGNATURE_HEADER,
            }
            return render(request, "webhooks/subscription_created.html", context)
    return render(request, "webhooks/subscription_create.html", {"form": form})


@roles(Role.SCHEME_ADMIN)
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = selectors.subscription_for_admin(user=request.user, pk=pk)
    if not subscription.active:
        messages.error(request, "A deactivated subscription cannot be changed: add a new one")
        return redirect("webhooks:list")
    initial = {"url": subscription.url, "events": subscription.events}
    forces = Organisation.objects.filter(pk=subscription.organisation_id)
    form = SubscriptionForm(request.POST or None, initial=initial, forces=forces)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_subscription_update(
                actor=Actor.of(request.user),
                subscription_id=subscription.pk,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"Subscription to {form.cleaned_data['url']} saved")
            return redirect("webhooks:list")
    context = {"form": form, "subscription": subscription}
    status = 400 if form.errors else 200
    return render(request, "webhooks/subscription_edit.html", context, status=status)


@roles(Role.SCHEME_ADMIN)
def subscription_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = selectors.subscription_for_admin(user=request.user, pk=pk)
    if request.method == "POST" and subscription.active:
        services.webhook_subscription_deactivate(
            actor=Actor.of(request.user), subscription_id=subscription.pk
        )
        messages.success(request, f"Events are no longer sent to {subscription.url}")
        return redirect("webhooks:list")
    return render(request, "webhooks/subscription_deactivate.html", {"subscription": subscription})


@roles(Role.SCHEME_ADMIN)
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_for_admin(user=request.user, pk=pk)
    context = {
        "delivery": delivery,
        "attempts": delivery.attempt_log.all(),
        "body": signing.body_encode(delivery.payload).decode(),
    }
    return render(request, "webhooks/delivery_detail.html", context)


@roles(Role.SCHEME_ADMIN)
def delivery_replay(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_for_admin(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.webhook_delivery_replay(actor=Actor.of(request.user), delivery_id=delivery.pk)
        except services.ReplayRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"The {delivery.event} event is being sent again")
    return redirect("webhooks:delivery", pk=delivery.pk)
