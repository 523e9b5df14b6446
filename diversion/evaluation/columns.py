"""The tables the evaluation works on: pandas DataFrames with these columns.

`diversion.evaluation.frames` builds them from the database (referrals and imported police data);
the statistics in `diversion.evaluation.stats` take them as arguments and never touch the
database, so analysts can call them from a notebook on any data of the same shape.

Conventions: dates are `datetime64[ns]` (naive, the date in England); missing dates are NaT;
`person_key` is a pseudonymous string, the same for one person across referrals and police records
(never a name); `ethnicity` is the 18+1 self-defined code (A1…W4, NS not stated) and
`ethnic_group` its five-plus-one group (ETHNIC_GROUPS below); `sex` is "female", "male" or
"other"; `local_authority` is the ONS code (E08000025…).
"""

from __future__ import annotations

ETHNIC_GROUPS = ("Asian", "Black", "Mixed", "Other", "White", "Not stated")

# One row per referral.
REFERRALS = {
    "referral_id": "int",
    "person_key": "str",
    "scheme": "str: the scheme's slug",
    "referred_on": "date",
    "local_authority": "str",
    "how_found": "str: stop_search, custody or other",
    "main_drug": "str: the first drug found (cannabis, cocaine, …)",
    "age": "int: age in whole years on the day of the referral",
    "sex": "str",
    "ethnicity": "str",
    "ethnic_group": "str",
    "status": "str: the referral's current status",
    "assessed": "bool: reached assessed (or later)",
    "course_booked": "bool: reached course_booked (or later, through the course)",
    "completed": "bool",
    "not_engaged": "bool",
    "engaged": "bool: by the scheme's rule",
    "assessed_on": "date or NaT",
    "course_on": "date or NaT: the course session the person attended or is booked on",
    "missed_appointments": "int",
}

# Police-recorded offences and arrests, one row per offence (import 1).
OFFENCES = {
    "person_key": "str",
    "offence_date": "date",
    "offence_code": "str: Home Office offence code (92E possession of cannabis, …)",
    "is_possession": "bool: 92D or 92E",
    "disposal": "str: conviction, caution or '' (none known)",
    "disposal_date": "date or NaT",
}

# Crime outcomes for possession offences (import 2), one row per offence.
OUTCOMES = {
    "offence_date": "date",
    "local_authority": "str",
    "offence_code": "str: 92D or 92E",
    "outcome_code": "int: Home Office outcome code",
    "outcome_group": "str: the group in reference/crime_outcomes.csv",
    "sex": "str",
    "ethnicity": "str",
    "ethnic_group": "str",
    "diverted": "bool: the outcome was a diversion referral",
}

# Stop-and-search records (import 3), one row per search.
STOP_SEARCHES = {
    "searched_on": "date",
    "local_authority": "str",
    "sex": "str",
    "ethnicity": "str: self-defined, NS when not stated",
    "ethnic_group": "str",
    "observed_ethnicity": "str: IC1…IC9",
}

# Population (import 4: 2021 Census), one row per local authority, sex and ethnic group.
POPULATION = {
    "local_authority": "str",
    "sex": "str",
    "ethnic_group": "str",
    "population": "int",
}

# People for the matched comparison: the diverted (treated) and a pool who were not, one row each.
COHORT = {
    "person_key": "str",
    "treated": "bool",
    "index_date": "date: the referral (treated) or the possession offence (pool)",
    "age": "int",
    "sex": "str",
    "ethnic_group": "str",
    "local_authority": "str",
    "prior_offences": "int: police-recorded offences before the index date",
    "prior_possession": "int: of which possession",
    "reoffended": "bool: an offence in the window (set by the caller's window and definition)",
}
