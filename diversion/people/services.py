"""Writes for the person referred: their identity and contact details, and the keys that find
them again at their next stop."""

from __future__ import annotations

import datetime as dt
from typing import Any

from diversion.people.matching import police_id_key, stored_keys
from diversion.people.models import Person, PersonMatchKey
from diversion.schemes.models import Scheme


def person_save(
    *,
    scheme: Scheme,
    person_id: int | None,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date,
    sex: str,
    self_defined_ethnicity: str,
    observed_ethnicity: str,
    mobile: str = "",
    email: str = "",
    preferred_language: str = "en",
    safe_to_text: bool = False,
    safe_to_leave_voicemail: bool = False,
    discreet_messages: bool = True,
    police_person_id: str = "",
) -> Person:
    """The person an exact match found (`person_id`, locked and brought up to date), or a new
    one; either way with match keys for what they are called now. Call inside a transaction."""
    values: dict[str, Any] = {
        "given_name": given_name.strip(),
        "family_name": family_name.strip(),
        "date_of_birth": date_of_birth,
        "sex": sex,
        "self_defined_ethnicity_id": self_defined_ethnicity,
        "observed_ethnicity_id": observed_ethnicity,
        "mobile": mobile,
        "email": email,
        "preferred_language": preferred_language,
        "safe_to_text": safe_to_text,
        "safe_to_leave_voicemail": safe_to_leave_voicemail,
        "discreet_messages": discreet_messages,
    }
    if police_person_id:
        values["police_person_id"] = police_person_id
        values["police_person_id_index"] = police_id_key(police_person_id)
    if person_id is not None:
        person = Person.objects.select_for_update(of=("self",)).get(pk=person_id, scheme=scheme)
        for name, value in values.items():
            setattr(person, name, value)
        person.save()
    else:
        person = Person.objects.create(scheme=scheme, **values)
    keys = stored_keys(given_name, family_name, date_of_birth)
    PersonMatchKey.objects.bulk_create(
        [PersonMatchKey(person=person, kind=kind, key=key) for kind, key in keys],
        ignore_conflicts=True,
    )
    return person
