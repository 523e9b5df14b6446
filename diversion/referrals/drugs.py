"""Drugs an officer can record, with their class under the Misuse of Drugs Act 1971.

"Other" lets the officer name a drug not listed and choose its class.
"""

from __future__ import annotations

DRUGS: dict[str, tuple[str, str]] = {
    # code: (name, class)
    "cannabis": ("Cannabis (herbal or resin)", "B"),
    "cocaine": ("Cocaine powder", "A"),
    "crack": ("Crack cocaine", "A"),
    "heroin": ("Heroin", "A"),
    "mdma": ("MDMA or ecstasy", "A"),
    "ketamine": ("Ketamine", "B"),
    "amphetamine": ("Amphetamine (speed)", "B"),
    "methamphetamine": ("Methamphetamine", "A"),
    "lsd": ("LSD", "A"),
    "mushrooms": ("Magic mushrooms", "A"),
    "spice": ("Synthetic cannabinoids (spice)", "B"),
    "ghb": ("GHB or GBL", "B"),
    "benzodiazepines": ("Benzodiazepines without a prescription", "C"),
    "nitrous_oxide": ("Nitrous oxide", "C"),
    "steroids": ("Anabolic steroids", "C"),
    "other": ("Other (name it)", ""),
}


def drug_class(code: str, stated_class: str = "") -> str:
    """The legal class of a listed drug; for "other", the class the officer stated."""
    _name, known = DRUGS[code]
    return known or stated_class


def drug_name(code: str, other_name: str = "") -> str:
    return other_name.strip() if code == "other" and other_name.strip() else DRUGS[code][0]
