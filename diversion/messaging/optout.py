"""The link in every email that stops emails to the person: signed, so only the person we wrote
to can use it, and with no expiry, since an old email must still work. It names nothing about
the service: it is on SELF_SERVICE_BASE_URL (checked at start-up), under /messaging/emails/.

Texts have no link: a reply of STOP (or an equivalent, inbound.py) stops them.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from diversion.messaging.models import Channel

SALT = "messaging.opt-out"


class OptOutInvalid(ValueError):
    pass


def opt_out_token(*, person_id: int, channel: str) -> str:
    # No time stamp: the same link every time, in the body and the List-Unsubscribe header.
    return signing.Signer(salt=SALT).sign_object([person_id, str(channel)])


def opt_out_read(token: str) -> tuple[int, str]:
    """(person id, channel) from a token we signed; OptOutInvalid for anything else."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError) as error:  # ValueError: signed, not our shape
        raise OptOutInvalid("not our link") from error
    match value:
        case [int() as person_id, str() as channel] if channel in Channel.values and not isinstance(
            person_id, bool
        ):
            return person_id, channel
    raise OptOutInvalid("not an opt-out")


def opt_out_path(*, person_id: int, channel: str) -> str:
    token = opt_out_token(person_id=person_id, channel=channel)
    return reverse("messaging:email-opt-out", kwargs={"token": token})


def opt_out_link(*, person_id: int, channel: str) -> str:
    base = str(settings.SELF_SERVICE_BASE_URL).rstrip("/")
    return f"{base}{opt_out_path(person_id=person_id, channel=channel)}"
