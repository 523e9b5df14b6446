"""The officer's unfinished referral, kept in their session between the three pages.

Nothing is saved to the referral tables until the last page; the draft is encrypted in the
session so that personal details do not sit in plain text in the session store.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from diversion.core import crypto
from diversion.referrals.details import PersonDetails, StopDetails

SESSION_KEY = "referral_draft"


@dataclass
class Draft:
    token: str
    person: PersonDetails | None = None
    stop: StopDetails | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "person": self.person.to_json() if self.person else None,
            "stop": self.stop.to_json() if self.stop else None,
        }


def draft_load(request: HttpRequest) -> Draft:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return Draft(token=uuid.uuid4().hex)
    data = json.loads(crypto.decrypt(stored))
    return Draft(
        token=data["token"],
        person=PersonDetails.from_json(data["person"]) if data["person"] else None,
        stop=StopDetails.from_json(data["stop"]) if data["stop"] else None,
    )


def draft_save(request: HttpRequest, draft: Draft) -> None:
    request.session[SESSION_KEY] = crypto.encrypt(json.dumps(draft.to_json()))


def draft_clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def draft_clear_now(request: HttpRequest) -> Callable[[], None]:
    """A function that clears the draft and writes the session at once: called inside the
    referral's transaction, the referral and the end of its draft commit together (one commit
    for the submission instead of two; the session store is the database)."""

    def clear() -> None:
        if SESSION_KEY in request.session:
            request.session.pop(SESSION_KEY)
            request.session.save()
            request.session.modified = False  # written: nothing left for the middleware

    return clear
