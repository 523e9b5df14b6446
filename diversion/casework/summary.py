"""The assessment's answers in words, for the check-answers page and the case page."""

from __future__ import annotations

from typing import Any

from diversion.casework.models import Assessment
from diversion.casework.questions import (
    ALCOHOL,
    AUDIT_MORE,
    DRUG_PAGE_PREFIX,
    DRUGS,
    FREQUENCIES,
    INJECTING,
    MENTAL_HEALTH,
    NO_CONCERNS,
    OVERDOSE,
    PHYSICAL_HEALTH,
    ROUTES,
    SAFEGUARDING,
    YOUTH_SAFEGUARDING,
    RiskLevel,
    Section,
)
from diversion.casework.scoring import AuditBand, audit_c_positive
from diversion.referrals.models import Referral

NOT_ANSWERED = "Not answered yet"


def _names(codes: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(code, code) for code in codes) or "None"


def assessment_summary(assessment: Assessment, referral: Referral) -> list[dict[str, Any]]:
    answers = assessment.answers
    groups: list[dict[str, Any]] = []
    drugs = answers.get("drugs", {})
    rows = [("Drugs used", _names(drugs.get("used", []), DRUGS) if drugs else NOT_ANSWERED)]
    if drugs.get("notes"):
        rows.append(("Notes", drugs["notes"]))
    groups.append({"slug": Section.DRUGS, "title": Section.DRUGS.label, "rows": rows})
    with_names = {ALCOHOL: "Alcohol", **DRUGS}
    for code in drugs.get("used", []):
        detail = drugs.get("details", {}).get(code)
        rows = (
            [
                ("How often", FREQUENCIES.get(detail["frequency"], "")),
                ("How taken", _names(detail["routes"], ROUTES)),
                ("Age at first use", str(detail["age_first"])),
                ("Taken with", _names(detail.get("with", []), with_names)),
            ]
            if detail
            else [("Details", NOT_ANSWERED)]
        )
        groups.append({"slug": f"{DRUG_PAGE_PREFIX}{code}", "title": DRUGS[code], "rows": rows})
    score = assessment.audit_c_score
    if score is None:
        alcohol = NOT_ANSWERED
    else:
        alcohol = f"{score} out of 12: " + ("positive" if audit_c_positive(score) else "negative")
    groups.append(
        {"slug": Section.ALCOHOL, "title": Section.ALCOHOL.label, "rows": [("AUDIT-C", alcohol)]}
    )
    if score is not None and audit_c_positive(score):
        more = answers.get("audit", {}).get("answers")
        if more and assessment.audit_score is not None:
            band = AuditBand(assessment.audit_band).label
            rows = [("AUDIT score", f"{assessment.audit_score} out of 40: {band.lower()}")]
            rows += [
                (f"Question {number}", choices[position])
                for (number, _q, choices, _s), position in zip(AUDIT_MORE, more, strict=True)
            ]
        else:
            rows = [("AUDIT", NOT_ANSWERED)]
        groups.append({"slug": Section.AUDIT, "title": Section.AUDIT.label, "rows": rows})
    health = answers.get("health")
    if health:
        rows = [
            ("Mental health", MENTAL_HEALTH.get(health["mental_health"], "")),
            ("Physical health", PHYSICAL_HEALTH.get(health["physical_health"], "")),
            ("Overdose", OVERDOSE.get(health["overdose"], "")),
            ("Injecting", INJECTING.get(health["injecting"], "")),
            ("Shared equipment", "Yes" if health["sharing"] == "yes" else "No"),
        ]
        for key, label in (
            ("mental_health_notes", "Mental health notes"),
            ("physical_health_notes", "Physical health notes"),
        ):
            if health.get(key):
                rows.append((label, health[key]))
    else:
        rows = [("Health", NOT_ANSWERED)]
    groups.append({"slug": Section.HEALTH, "title": Section.HEALTH.label, "rows": rows})
    safeguarding = answers.get("safeguarding")
    if safeguarding:
        names = {**SAFEGUARDING, NO_CONCERNS: "None"}
        rows = [("Signs of harm", _names(safeguarding["concerns"], names))]
        if safeguarding.get("youth"):
            rows.append(
                ("Young person", _names(safeguarding["youth"], {**YOUTH_SAFEGUARDING, **names}))
            )
        if safeguarding.get("notes"):
            rows.append(("Notes", safeguarding["notes"]))
    else:
        rows = [("Safeguarding", NOT_ANSWERED)]
    groups.append({"slug": Section.SAFEGUARDING, "title": Section.SAFEGUARDING.label, "rows": rows})
    if Section.RISK in assessment.sections_done and assessment.risk_level:
        risk = RiskLevel(assessment.risk_level).label
        rows = [("Risk level", risk)]
        if assessment.proposed_risk and assessment.proposed_risk != assessment.risk_level:
            proposed = RiskLevel(assessment.proposed_risk).label.lower()
            rows.append(("Proposed", proposed))
            rows.append(("Reason for the change", assessment.risk_change_reason))
    else:
        rows = [("Risk level", NOT_ANSWERED)]
    groups.append({"slug": Section.RISK, "title": Section.RISK.label, "rows": rows})
    return groups
