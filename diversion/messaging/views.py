"""GOV.UK Notify's callback for text messages people send us (replies such as STOP)."""

from __future__ import annotations

import datetime as dt
import hmac
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from diversion.core.access import public
from diversion.core.proxies import client_address
from diversion.core.ratelimit import rate_limited
from diversion.messaging.addresses import InboundInvalid
from diversion.messaging.inbound import inbound_sms_record
from diversion.messaging.optout import OptOutInvalid
from diversion.messaging.services import EMAIL_LINK, opt_out_by_link

# The tab and header of the person's pages: nothing a glance could give away.
NEUTRAL_NAME = "Appointments"


def _problem(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )


@public
@csrf_exempt  # a server-to-server callback, authenticated by its bearer token instead
@require_POST
def inbound_notify(request: HttpRequest) -> HttpResponse:
    expected = str(getattr(settings, "NOTIFY_INBOUND_TOKEN", ""))
    if not expected:
        return _problem(404, "Not found", "Inbound text messages are not set up here.")
    if rate_limited(f"inbound:{client_address(request)}", limit=600, window_seconds=60):
        return _problem(429, "Too many requests", "Slow down.")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return _problem(401, "Unauthorised", "The bearer token is missing or wrong.")
    try:
        payload = json.loads(request.body)
        received_at = parse_datetime(str(payload.get("date_received", ""))) or None
        if received_at is None:
            raise InboundInvalid("date_received is missing or not a date and time")
        if received_at.tzinfo is None:
            received_at = received_at.replace(tzinfo=dt.UTC)
        inbound_sms_record(
            provider_id=str(payload.get("id", "")),
            sender=str(payload.get("source_number", "")),
            text=str(payload.get("message", "")),
            received_at=received_at,
        )
    except (ValueError, AttributeError) as error:  # InboundInvalid, bad JSON, not an object
        return _problem(400, "Bad request", str(error) or "The body is not a Notify callback.")
    return HttpResponse(status=204)


@public
# The signed link is the credential, and a mail program's one-click opt-out (RFC 8058) posts
# without a form; a forged request could at most stop emails to the link's own holder.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def email_opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a mail scanner opening the link changes nothing); POST stops emails."""
    context: dict[str, object] = {"service_name": NEUTRAL_NAME}
    if rate_limited(f"opt-out:{client_address(request)}", limit=60, window_seconds=600):
        return render(request, "messaging/opt_out.html", {**context, "problem": True}, status=429)
    try:
        if request.method == "POST":
            opt_out_by_link(token=token, actor=EMAIL_LINK)
            context["done"] = True
        else:
            opt_out_by_link(token=token, actor=EMAIL_LINK, record=False)
    except OptOutInvalid:
        return render(request, "messaging/opt_out.html", {**context, "problem": True}, status=404)
    return render(request, "messaging/opt_out.html", context)
