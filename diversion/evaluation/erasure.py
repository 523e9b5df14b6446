"""When a person is erased (privacy app), the evaluation drops what it holds that could identify
them: the police data's keys for them, the scheme's column-wise snapshots (rebuilt by the next
refresh from the anonymised rows) and its cached reports. The figures do not change: the
anonymised rows keep every fact the evaluation counts (decision 0019)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import connection

from diversion.evaluation.models import FrameSnapshot, PoliceOffence, PolicePerson
from diversion.privacy.anonymise import coarse_birth_date
from diversion.privacy.events import PersonErased

CACHE_PREFIXES = ("evaluation:",)


def evaluation_forget_person(event: PersonErased) -> None:
    for police_person in PolicePerson.objects.filter(person_id=event.person_id):
        if police_person.date_of_birth is not None:
            dates = PoliceOffence.objects.filter(police_person=police_person).values_list(
                "offence_date", flat=True
            )
            police_person.date_of_birth = coarse_birth_date(police_person.date_of_birth, dates)
        police_person.police_id_index = police_person.name_key = ""
        police_person.save(update_fields=["date_of_birth", "police_id_index", "name_key"])
    FrameSnapshot.objects.filter(scheme_id=event.scheme_id).delete()
    evaluation_cache_clear()


def evaluation_cache_clear() -> None:
    """Every cached evaluation result (the cache lives in the database: settings.CACHES)."""
    cache = settings.CACHES["default"]
    if cache["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
        django_cache.clear()
        return
    table = connection.ops.quote_name(cache["LOCATION"])
    with connection.cursor() as cursor:
        for prefix in CACHE_PREFIXES:
            cursor.execute(
                f"DELETE FROM {table} WHERE cache_key LIKE %s",  # noqa: S608 (a setting)
                [f"%:{prefix}%"],
            )
