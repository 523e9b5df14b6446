"""The pseudonymised record-level extract for an external evaluator.

One row per referral stopped in the period. Each extract has its own random key: the person's
and the referral's pseudonyms are keyed hashes (HMAC-SHA256) under that key, which is never
stored, so rows can be linked within one extract but two extracts cannot be joined to each other
or back to the database. No names, contact details, free text, references or dates of birth:
the person's age and age band instead, the month of the referral instead of its date, and
intervals in days.

Re-offending flags come from the police-recorded offences (any offence, and possession only)
within 6 and 12 months after the referral; a flag is left empty while its window has not yet
passed on the day the extract is made.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.evaluation import frames
from diversion.evaluation.operational import age_band
from diversion.schemes.models import Scheme

WINDOWS_MONTHS = (6, 12)

COLUMNS: tuple[str, ...] = (
    "person_pseudonym",
    "referral_pseudonym",
    "referral_month",
    "local_authority",
    "how_found",
    "main_drug",
    "age",
    "age_band",
    "sex",
    "ethnicity",
    "ethnic_group",
    "status",
    "assessed",
    "course_booked",
    "completed",
    "not_engaged",
    "engaged",
    "days_to_assessment",
    "days_to_course",
    "missed_appointments",
    "prior_offences",
    "prior_possession_offences",
    *(
        f"reoffended_{months}m_{kind}"
        for months in WINDOWS_MONTHS
        for kind in ("any", "possession")
    ),
)


@dataclass(frozen=True)
class Extract:
    csv: str
    rows: int
    file_name: str


def pseudonym(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:20]


def _flag(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def extract_rows(
    referrals: pd.DataFrame, offences: pd.DataFrame, *, key: bytes, as_of: dt.date
) -> list[dict[str, Any]]:
    """The extract's rows from the frames (a pure function, for tests and notebooks)."""
    rows: list[dict[str, Any]] = []
    by_person = {k: group for k, group in offences.groupby("person_key")} if len(offences) else {}
    today = pd.Timestamp(as_of)
    for record in referrals.sort_values(["referred_on", "referral_id"]).itertuples(index=False):
        referred = pd.Timestamp(record.referred_on)
        history = by_person.get(record.person_key)
        before = after = None
        if history is not None:
            before = history[history["offence_date"] < referred]
            after = history[history["offence_date"] > referred]
        row: dict[str, Any] = {
            "person_pseudonym": pseudonym(key, f"person:{record.person_key}"),
            "referral_pseudonym": pseudonym(key, f"referral:{record.referral_id}"),
            "referral_month": referred.strftime("%Y-%m"),
            "local_authority": record.local_authority,
            "how_found": record.how_found,
            "main_drug": record.main_drug,
            "age": _flag(record.age),
            "age_band": age_band(record.age),
            "sex": record.sex,
            "ethnicity": record.ethnicity,
            "ethnic_group": record.ethnic_group,
            "status": record.status,
            "assessed": bool(record.assessed),
            "course_booked": bool(record.course_booked),
            "completed": bool(record.completed),
            "not_engaged": bool(record.not_engaged),
            "engaged": bool(record.engaged),
            "days_to_assessment": _days(referred, record.assessed_on),
            "days_to_course": _days(referred, record.course_on),
            "missed_appointments": int(record.missed_appointments or 0),
            "prior_offences": 0 if before is None else len(before),
            "prior_possession_offences": 0
            if before is None
            else int(before["is_possession"].sum()),
        }
        for months in WINDOWS_MONTHS:
            window_end = referred + pd.DateOffset(months=months)
            for kind in ("any", "possession"):
                column = f"reoffended_{months}m_{kind}"
                if window_end >= today:
                    row[column] = ""
                    continue
                found = after if after is not None else None
                if found is not None:
                    found = found[found["offence_date"] <= window_end]
                    if kind == "possession":
                        found = found[found["is_possession"]]
                row[column] = bool(found is not None and len(found))
        rows.append(row)
    return rows


def _days(first: pd.Timestamp, second: Any) -> str:
    if second is None or pd.isna(second):
        return ""
    return str((pd.Timestamp(second) - first).days)


def extract_create(
    *, actor: Actor, scheme: Scheme, start: dt.date, end: dt.date, as_of: dt.date | None = None
) -> Extract:
    """Make the extract and audit it. The key lives only for the length of this call."""
    as_of = as_of or timezone.localdate()
    referrals = frames.referrals_frame(scheme_ids=[scheme.pk], start=start, end=end)
    offences = frames.offences_frame(scheme_ids=[scheme.pk])
    key = secrets.token_bytes(32)
    rows = extract_rows(referrals, offences, key=key, as_of=as_of)
    del key
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    file_name = f"{scheme.code}-extract-{start.isoformat()}-to-{end.isoformat()}.csv"
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_type="evaluation.Extract",
            object_id=f"{scheme.code} {start.isoformat()} {end.isoformat()}",
            scheme=scheme,
            reason="pseudonymised record-level extract for an external evaluator",
            changes={
                "from": start.isoformat(),
                "to": end.isoformat(),
                "rows": len(rows),
                "columns": list(COLUMNS),
            },
        )
    return Extract(csv=out.getvalue(), rows=len(rows), file_name=file_name)
