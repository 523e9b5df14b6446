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
