"""The three demo schemes, modelled on the public descriptions of the West Midlands scheme, its
West Mercia expansion and the Thames Valley pilot. Organisation names other than the public
bodies are invented; funding figures are illustrative."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from diversion.audit.services import SYSTEM
from diversion.courses.models import Audience, CourseModule, CourseType
from diversion.schemes.models import FundingPeriod, LocalAuthority, Organisation, Scheme
from diversion.schemes.services import scheme_sharing_update

# The two West Midlands region schemes tell each other whether a person engaged (decision
# 0016); Thames Valley shares with nobody, so the demo shows both.
SHARING = {"WM": ["WMC"], "WMC": ["WM"]}

D = dt.date

COURSE_MODULES = [
    ("Health", "How drugs affect physical and mental health, mixing substances, and overdose."),
    ("Relationships", "The effect of drug use on family, friends and partners."),
    ("Work and education", "Employment, study, and what a drug-related record can mean."),
    ("Travel", "Drug laws abroad, visas and travel restrictions."),
    ("The wider impact", "Exploitation, county lines and modern slavery behind the drug trade."),
]

COURSE_TYPES = [
    ("adult-drug-awareness", "Adult drug awareness course", Audience.ADULT, "", 180),
    (
        "young-peoples-course",
        "Young people's drug awareness course",
        Audience.YOUNG_PEOPLE,
        "",
        120,
    ),
    ("cannabis-course", "Cannabis course", Audience.SUBSTANCE_SPECIFIC, "cannabis", 150),
    ("cocaine-course", "Cocaine and alcohol course", Audience.SUBSTANCE_SPECIFIC, "cocaine", 150),
]

SCHEMES: list[dict[str, Any]] = [
    {
        "code": "WM",
        "name": "West Midlands",
        "force": "West Midlands Police",
        "provider": "Midlands Drug and Alcohol Partnership",
        "commissioner": "West Midlands Police and Crime Commissioner",
        "go_live": D(2020, 10, 1),
        "outcome_code": 8,
        "classes": ["A", "B", "C"],
        "exclusions": ["violence_at_same_time", "weapon_at_same_time", "drug_driving"],
        "courses": [
            "adult-drug-awareness",
            "young-peoples-course",
            "cannabis-course",
            "cocaine-course",
        ],
        "authorities": [
            ("E08000025", "Birmingham"),
            ("E08000026", "Coventry"),
            ("E08000027", "Dudley"),
            ("E08000028", "Sandwell"),
            ("E08000029", "Solihull"),
            ("E08000030", "Walsall"),
            ("E08000031", "Wolverhampton"),
        ],
        "funding": [
            (
                "West Midlands Police and Crime Commissioner",
                "opcc_core",
                D(2020, 10, 1),
                D(2022, 3, 31),
                "850000",
            ),
            (
                "West Midlands Police and Crime Commissioner",
                "opcc_core",
                D(2022, 4, 1),
                D(2025, 3, 31),
                "1900000",
            ),
            (
                "West Midlands Police and Crime Commissioner",
                "opcc_core",
                D(2025, 4, 1),
                D(2027, 3, 31),
                "1400000",
            ),
        ],
    },
    {
        "code": "WMC",
        "name": "West Mercia",
        "force": "West Mercia Police",
        "provider": "Marches Substance Misuse Service",
        "commissioner": "West Mercia Police and Crime Commissioner",
        "go_live": D(2023, 4, 1),
        "outcome_code": 8,
        "classes": ["A", "B", "C"],
        "exclusions": ["violence_at_same_time", "weapon_at_same_time", "on_bail_or_licence"],
        "courses": ["adult-drug-awareness", "young-peoples-course"],
        "authorities": [
            ("E06000019", "Herefordshire"),
            ("E06000051", "Shropshire"),
            ("E06000020", "Telford and Wrekin"),
            ("E10000034", "Worcestershire"),
        ],
        "funding": [
            (
                "West Mercia Police and Crime Commissioner",
                "proceeds_of_crime",
                D(2023, 4, 1),
                D(2025, 3, 31),
                "420000",
            ),
            (
                "West Mercia Police and Crime Commissioner",
                "proceeds_of_crime",
                D(2025, 4, 1),
                D(2027, 3, 31),
                "460000",
            ),
        ],
    },
    {
        "code": "TV",
        "name": "Thames Valley",
        "force": "Thames Valley Police",
        "provider": "Thames Valley Recovery Service",
        "commissioner": "Thames Valley Police and Crime Commissioner",
        "go_live": D(2019, 4, 1),
        "outcome_code": 22,
        "classes": ["A", "B", "C"],
        "exclusions": ["violence_at_same_time", "class_a_under_18"],
        "courses": ["adult-drug-awareness", "young-peoples-course", "cannabis-course"],
        "authorities": [
            ("E06000036", "Bracknell Forest"),
            ("E06000060", "Buckinghamshire"),
            ("E06000042", "Milton Keynes"),
            ("E10000025", "Oxfordshire"),
            ("E06000038", "Reading"),
            ("E06000039", "Slough"),
            ("E06000037", "West Berkshire"),
            ("E06000040", "Windsor and Maidenhead"),
            ("E06000041", "Wokingham"),
        ],
        "funding": [
            (
                "Thames Valley Police and Crime Commissioner",
                "opcc_core",
                D(2019, 4, 1),
                D(2021, 3, 31),
                "380000",
            ),
            ("Home Office", "home_office", D(2021, 4, 1), D(2026, 3, 31), "1250000"),
            (
                "Thames Valley Police and Crime Commissioner",
                "opcc_core",
                D(2026, 4, 1),
                D(2028, 3, 31),
                "600000",
            ),
        ],
    },
]


def create_course_types() -> dict[str, CourseType]:
    types = {}
    for code, name, audience, substance, minutes in COURSE_TYPES:
        course, _ = CourseType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "audience": audience,
                "substance": substance,
                "duration_minutes": minutes,
                "description": f"An online group course of {minutes // 60} to 3 hours.",
            },
        )
        for position, (title, summary) in enumerate(COURSE_MODULES, start=1):
            CourseModule.objects.get_or_create(
                course_type=course, position=position, defaults={"title": title, "summary": summary}
            )
        types[code] = course
    return types


def create_schemes() -> list[Scheme]:
    course_types = create_course_types()
    evaluator, _ = Organisation.objects.get_or_create(
        name="University Drug Policy Evaluation Consortium", defaults={"kind": "evaluator"}
    )
    schemes = []
    for spec in SCHEMES:
        force, _ = Organisation.objects.get_or_create(
            name=spec["force"], defaults={"kind": "force"}
        )
        provider, _ = Organisation.objects.get_or_create(
            name=spec["provider"], defaults={"kind": "provider"}
        )
        commissioner, _ = Organisation.objects.get_or_create(
            name=spec["commissioner"], defaults={"kind": "commissioner"}
        )
        scheme, _ = Scheme.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "force": force,
                "provider": provider,
                "commissioner": commissioner,
                "go_live": spec["go_live"],
                "outcome_code": spec["outcome_code"],
                "eligible_drug_classes": spec["classes"],
                "excluded_circumstances": spec["exclusions"],
            },
        )
        for ons_code, name in spec["authorities"]:
            authority, _ = LocalAuthority.objects.get_or_create(
                ons_code=ons_code, defaults={"name": name, "force": force}
            )
            scheme.local_authorities.add(authority)
        scheme.course_types.set([course_types[code] for code in spec["courses"]])
        scheme.evaluators.add(evaluator)
        for funder, source, starts_on, ends_on, amount in spec["funding"]:
            FundingPeriod.objects.get_or_create(
                scheme=scheme,
                starts_on=starts_on,
                defaults={
                    "funder": funder,
                    "source": source,
                    "ends_on": ends_on,
                    "amount_pounds": Decimal(amount),
                },
            )
        schemes.append(scheme)
    by_code = {scheme.code: scheme for scheme in schemes}
    for code, partners in SHARING.items():
        if code in by_code:
            scheme_sharing_update(
                actor=SYSTEM,
                scheme=by_code[code],
                share_with_ids=[by_code[p].pk for p in partners if p in by_code],
                reason="demo: regional data-sharing agreement",
            )
    return schemes
