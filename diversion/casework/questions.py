"""The assessment's questions and answer lists, as data: one place for the pages, the rules,
the check-answers page and the demo.

The AUDIT questions 4 to 10 are those of the World Health Organization's Alcohol Use Disorders
Identification Test (Babor, Higgins-Biddle, Saunders and Monteiro, "AUDIT: Guidelines for use in
primary care", 2nd edition, WHO 2001), in the UK wording of the Office for Health Improvement
and Disparities' "Alcohol use disorders identification test (AUDIT)" form. Questions 1 to 3 are
AUDIT-C, loaded from the reference data (`reference.AuditCQuestion`), never retyped here.
"""

from __future__ import annotations

from django.db import models


class Section(models.TextChoices):
    DRUGS = "drugs", "Drugs used"
    ALCOHOL = "alcohol", "Alcohol (AUDIT-C)"
    AUDIT = "audit", "Alcohol (full AUDIT)"
    HEALTH = "health", "Health, overdose and injecting"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    RISK = "risk", "Risk level"


# The order the pages come in; a drug's details page follows "drugs" for each drug used, and
# the full AUDIT follows AUDIT-C only when AUDIT-C is positive.
SECTION_ORDER = [
    Section.DRUGS,
    Section.ALCOHOL,
    Section.AUDIT,
    Section.HEALTH,
    Section.SAFEGUARDING,
    Section.RISK,
]
DRUG_PAGE_PREFIX = "drug-"

# Every drug the worker asks about: code -> name.
DRUGS: dict[str, str] = {
    "cannabis": "Cannabis",
    "cocaine": "Cocaine powder",
    "crack": "Crack cocaine",
    "opioids": "Heroin and other opioids",
    "ketamine": "Ketamine",
    "mdma": "MDMA or ecstasy",
    "amphetamine": "Amphetamine",
    "benzodiazepines": "Benzodiazepines",
    "synthetic_cannabinoids": "Synthetic cannabinoids (spice)",
    "nitrous_oxide": "Nitrous oxide",
    "novel": "Novel psychoactive substances",
    "other": "Other",
}
ALCOHOL = "alcohol"
# Depressants: two or more taken together risk slowed breathing and overdose.
DEPRESSANTS = frozenset({"opioids", "benzodiazepines", "ketamine", ALCOHOL})
COCAINES = frozenset({"cocaine", "crack"})

FREQUENCIES: dict[str, str] = {
    "daily": "Every day or almost every day",
    "most_weeks": "Two to five days a week",
    "weekly": "About once a week",
    "monthly": "About once a month",
    "rarely": "Less than once a month",
}

ROUTES: dict[str, str] = {
    "smoked": "Smoked",
    "swallowed": "Swallowed",
    "snorted": "Snorted",
    "injected": "Injected",
    "inhaled": "Inhaled (for example from a balloon)",
}

# AUDIT questions 4 to 10: (question, answers scoring in order). Questions 9 and 10 score
# 0, 2 or 4.
AUDIT_FREQUENCY = ["Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily"]
AUDIT_HARM = ["No", "Yes, but not in the last year", "Yes, during the last year"]
AUDIT_MORE: list[tuple[int, str, list[str], list[int]]] = [
    (
        4,
        "How often during the last year have you found that you were not able to stop "
        "drinking once you had started?",
        AUDIT_FREQUENCY,
        [0, 1, 2, 3, 4],
    ),
    (
        5,
        "How often during the last year have you failed to do what was normally expected "
        "from you because of your drinking?",
        AUDIT_FREQUENCY,
        [0, 1, 2, 3, 4],
    ),
    (
        6,
        "How often during the last year have you needed an alcoholic drink in the morning "
        "to get yourself going after a heavy drinking session?",
        AUDIT_FREQUENCY,
        [0, 1, 2, 3, 4],
    ),
    (
        7,
        "How often during the last year have you had a feeling of guilt or remorse after drinking?",
        AUDIT_FREQUENCY,
        [0, 1, 2, 3, 4],
    ),
    (
        8,
        "How often during the last year have you been unable to remember what happened the "
        "night before because you had been drinking?",
        AUDIT_FREQUENCY,
        [0, 1, 2, 3, 4],
    ),
    (
        9,
        "Have you or somebody else been injured as a result of your drinking?",
        AUDIT_HARM,
        [0, 2, 4],
    ),
    (
        10,
        "Has a relative or friend, doctor or other health worker been concerned about your "
        "drinking or suggested that you cut down?",
        AUDIT_HARM,
        [0, 2, 4],
    ),
]

MENTAL_HEALTH: dict[str, str] = {
    "no": "No concerns",
    "diagnosed": "A diagnosed condition",
    "concerns": "Concerns, not diagnosed",
}
PHYSICAL_HEALTH: dict[str, str] = {
    "no": "No concerns",
    "yes": "A condition or concern",
}
OVERDOSE: dict[str, str] = {
    "never": "Never",
    "over_a_year": "Yes, more than a year ago",
    "last_year": "Yes, in the last year",
}
INJECTING: dict[str, str] = {
    "never": "Never",
    "past": "In the past, not now",
    "current": "Yes, now",
}

SAFEGUARDING: dict[str, str] = {
    "exploitation": "Signs of criminal or sexual exploitation",
    "county_lines": "Signs of involvement in county lines",
    "modern_slavery": "Signs of modern slavery or forced labour",
    "domestic_abuse": "Domestic abuse",
    "harm_to_self": "Thoughts of harming themselves",
}
# Asked only of a person under 18.
YOUTH_SAFEGUARDING: dict[str, str] = {
    "missing_episodes": "Has gone missing from home or care",
    "not_in_education": "Not in education, employment or training",
    "older_associates": "Older associates, or money or gifts from unknown sources",
    "carrying_weapon": "Carries a weapon or is afraid for their safety",
    "known_to_social_care": "Known to children's social care",
}
NO_CONCERNS = "none"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


RISK_ORDER = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH]
