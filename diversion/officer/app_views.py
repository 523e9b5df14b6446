"""The officer's installable app: its service worker, manifest, offline start page, the
session's draft key and the endpoint that sends referrals made without signal (decision 0021).

Every page keeps working without JavaScript; these only add to them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from diversion.core.access import public, roles
from diversion.core.roles import Role
from diversion.officer.forms import PersonForm, StopForm, slot_label
from diversion.officer.offline_keys import offline_key_for, sync_token_valid
from diversion.officer.selectors import slots_offered
from diversion.officer.sync import SyncRefused, offline_referral_parse, offline_referral_sync
from diversion.referrals.choices import NO_CONTACT, NO_CONTACT_CONSENT, NO_SHARING
from diversion.schemes.policy import SUPPLY_INDICATORS
from diversion.schemes.selectors import scheme_for_officer

SCOPE = "/referrals/"
PROVISIONAL_SLOTS = 3
SYNC_TOKEN_HEADER = "X-Offline-Token"  # noqa: S105 (a header name)
PROBLEM = "application/problem+json"
OWNER_SALT = "diversion.officer.offline-owner"

# Our own static files the app needs without signal (the offline page adds itself).
APP_ASSETS = [
    "vendor/govuk/govuk-frontend.min.css",
    "vendor/govuk/govuk-frontend.min.js",
    "vendor/govuk/assets/fonts/bold-b542beb274-v2.woff2",
    "vendor/govuk/assets/fonts/light-94a07e06a1-v2.woff2",
    "vendor/govuk/assets/images/favicon.ico",
    "diversion/diversion.css",
    "diversion/init.js",
    "diversion/officer/app.js",
    "diversion/officer/vault.js",
    "diversion/officer/offline.js",
    "diversion/officer/officer.css",
    "diversion/officer/icons/icon-192.png",
]
ICONS = [
    ("diversion/officer/icons/icon-192.png", "192x192", "any"),
    ("diversion/officer/icons/icon-512.png", "512x512", "any"),
    ("diversion/officer/icons/maskable-512.png", "512x512", "maskable"),
]


def problem(status: int, kind: str, title: str, **extra: Any) -> JsonResponse:
    body = {"type": f"about:blank#{kind}", "title": title, "status": status, **extra}
    return JsonResponse(body, status=status, content_type=PROBLEM)


def problem_renderer(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """Errors under the app's JSON addresses (registered in OfficerConfig.ready)."""
    titles = {400: "Bad request", 403: "Forbidden", 404: "Not found", 405: "Method not allowed"}
    return problem(status, "error", titles.get(status, "Error"), detail=detail or None)


def _version(text: str) -> str:
    """Changes whenever the worker or any asset it caches changes: the browser installs the new
    worker, which takes over at the next visit (never while a referral is on screen)."""
    digest = hashlib.sha256(text.encode())
    for url in _asset_urls():
        digest.update(url.encode())
    for name in APP_ASSETS:
        found = finders.find(name)
        if found:
            with open(str(found), "rb") as asset:
                digest.update(asset.read())
    return digest.hexdigest()[:16]


def _asset_urls() -> list[str]:
    """The assets' addresses (hashed in production); one missing (a font renamed by a new GOV.UK
    Frontend) is left out rather than failing the worker's install."""
    urls = []
    for name in APP_ASSETS:
        if not finders.find(name):
            continue
        try:
            urls.append(static(name))
        except ValueError:  # not in the production manifest
            continue
    return urls


@require_GET
@public
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker, from our static files, served under /referrals/ so its scope covers the
    officer's pages (whitenoise would serve it under /static/, whose scope covers nothing)."""
    source = finders.find("diversion/officer/sw.js")
    with open(str(source), encoding="utf-8") as script:
        text = script.read()
    settings_js = json.dumps(
        {
            "version": _version(text),
            "scope": SCOPE,
            "offline": reverse("officer:offline"),
            "assets": _asset_urls(),
            "never": [reverse("officer:offline-session"), reverse("officer:sync")],
        }
    )
    response = HttpResponse(
        text.replace("self.__APP__", settings_js), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = SCOPE
    return response


@require_GET
@public
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": "Diversion: refer at the scene",
        "short_name": "Refer",
        "description": "Refer a person to the drug diversion scheme, with or without signal.",
        "id": SCOPE,
        "start_url": reverse("officer:mine"),
        "scope": SCOPE,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#1d70b8",
        "lang": "en-GB",
        "icons": [
            {"src": static(src), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for src, sizes, purpose in ICONS
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json")


@require_GET
@roles(Role.OFFICER)
def offline_page(request: HttpRequest) -> HttpResponse:
    """The three pages in one, for the phone to keep: no personal data, only the scheme's lists."""
    scheme = scheme_for_officer(user=request.user)
    person = PersonForm(initial={"discreet_messages": True, "preferred_language": "en"})
    stop = StopForm(scheme=scheme, date_of_birth=timezone.localdate())
    context = {
        "person_form": person,
        "stop_form": stop,
        "scheme": scheme,
        "supply_refusals": [SUPPLY_INDICATORS[c] for c in scheme.automatic_supply_refusals],
        "required": _required_messages(person, stop),
    }
    return render(request, "officer/offline.html", context)


def _required_messages(person: PersonForm, stop: StopForm) -> dict[str, dict[str, str]]:
    """What the offline page says of a missing answer: the pages' own words, checked again by
    the server when the referral is sent."""

    def of(form: Any, *names: str) -> dict[str, str]:
        return {name: str(form.fields[name].error_messages["required"]) for name in names}

    return {
        "1": {
            **of(person, "given_name", "family_name"),
            "date_of_birth": "Enter the date of birth",
            **of(person, "sex", "self_defined_ethnicity", "observed_ethnicity"),
            "mobile": NO_CONTACT,
        },
        "2": {
            "stopped_on": "Enter the date of the stop",
            **of(stop, "stopped_time", "local_authority", "how_found", "drug_0"),
        },
        "adult": {
            "appropriate_adult_name": "Enter the appropriate adult's name: a person under 18 "
            "needs one present",
            "appropriate_adult_relationship": "Enter the appropriate adult's relationship to the "
            "young person",
            "appropriate_adult_phone": "Enter the appropriate adult's phone number",
        },
        "3": {
            "consent_to_contact": NO_CONTACT_CONSENT,
            "consent_to_share": NO_SHARING,
            "booking": "Choose a provisional time, or to call the person back",
        },
    }


@require_GET
@roles(Role.OFFICER)
def offline_session(request: HttpRequest) -> JsonResponse:
    """The session's draft key and sync token, and the provisional times held for offline use."""
    scheme = scheme_for_officer(user=request.user)
    key = offline_key_for(request)
    slots = slots_offered(scheme=scheme, token="")[:PROVISIONAL_SLOTS]
    return JsonResponse(
        {
            "key": key.key,
            "key_id": key.key_id,
            "sync_token": key.sync_token,
            "expires_at": int(key.expires_at * 1000),
            # Names the officer (not who they are) so the phone drops another officer's drafts.
            "owner": salted_hmac(OWNER_SALT, str(request.user.pk)).hexdigest()[:16],
            "slots": [
                {"id": str(s.pk), "label": slot_label(s), "starts_at": s.starts_at.isoformat()}
                for s in slots
            ],
        }
    )


@csrf_exempt  # the session's sync token in a header instead: see offline_keys.py
@require_POST
@roles(Role.OFFICER)
def sync(request: HttpRequest) -> JsonResponse:
    if not sync_token_valid(request, request.headers.get(SYNC_TOKEN_HEADER, "")):
        return problem(403, "sync-token", "The sync token is missing or not this session's")
    if request.content_type != "application/json":
        return problem(415, "media-type", "Send the referral as application/json")
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return problem(400, "malformed", "The body is not valid JSON")
    scheme = scheme_for_officer(user=request.user)
    try:
        offline = offline_referral_parse(payload=payload, scheme=scheme)
        result = offline_referral_sync(officer=request.user, scheme=scheme, offline=offline)
    except SyncRefused as refused:
        return problem(refused.status, refused.kind, refused.title, errors=refused.errors)
    referral, slot = result.referral, result.slot
    return JsonResponse(
        {
            "outcome": result.outcome,
            "created": result.created,
            "reference": referral.reference if referral else None,
            "appointment": slot_label(slot) if slot else None,
            "reasons": result.reasons,
            "what_to_do_instead": result.what_to_do_instead,
        },
        status=201 if result.created else 200,
    )
