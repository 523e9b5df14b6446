"""Valid referral inputs for tests, to change one detail at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from diversion.officer.services import Submission, referral_submit
from diversion.referrals.details import DrugDetails, PersonDetails, StopDetails


def person_details(**changes: Any) -> PersonDetails:
    values: dict[str, Any] = {
        "given_name": "Jamie",
        "family_name": "O'Neill",
        "date_of_birth": dt.date(1998, 6, 14),
        "sex": "male",
        "self_defined_ethnicity": "W1",
        "observed_ethnicity": "IC1",
        "mobile": "+447911123456",
        "email": "jamie@example.org",
        "safe_to_text": True,
    }
    values.update(changes)
    return PersonDetails(**values)


def stop_details(scheme: Any, **changes: Any) -> StopDetails:
    values: dict[str, Any] = {
        "stopped_at": timezone.now() - dt.timedelta(minutes=10),
        "local_authority_id": scheme.local_authorities.first().pk,
        "how_found": "stop_and_search",
        "drugs": (
            DrugDetails(
                code="cannabis",
                name="Cannabis (herbal or resin)",
                drug_class="B",
                quantity="2 grams",
            ),
        ),
    }
    values.update(changes)
    return StopDetails(**values)


def referral_made(
    officer: Any, scheme: Any, slot: Any, key: str = "key-1", **person: Any
) -> Submission:
    """A referral created through the service, as the officer's pages would."""
    return referral_submit(
        officer=officer,
        scheme=scheme,
        person=person_details(**person),
        stop=stop_details(scheme),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slot.pk,
        idempotency_key=key,
    )
