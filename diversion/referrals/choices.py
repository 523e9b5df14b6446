"""What an officer records about a stop, and the messages for what a referral cannot go without:
one definition for the officer's pages and the API."""

from __future__ import annotations

# Circumstances an officer records on the stop page; the offences cover the rest of EXCLUSIONS.
CIRCUMSTANCES = ["on_school_premises", "in_custodial_institution", "on_bail_or_licence"]

NO_CONTACT = "Enter a mobile number or an email address, so the provider can contact the person"
NO_SHARING = (
    "Confirm the person agrees to their information being shared, or they cannot be referred"
)
NO_CONTACT_CONSENT = "Confirm the person agrees to be contacted, or they cannot be referred"

# Ages in whole years on the day of the stop, as the evaluation's figures band them.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, "Under 18"),
    (18, 24, "18 to 24"),
    (25, 34, "25 to 34"),
    (35, 44, "35 to 44"),
    (45, 54, "45 to 54"),
    (55, None, "55 and over"),
)


def age_band(age: int) -> str:
    for youngest, oldest, label in AGE_BANDS:
        if age >= youngest and (oldest is None or age <= oldest):
            return label
    return "Not known"
