"""Every model that holds something about a person: found from Django's app registry by
following foreign keys towards `people.Person`, so that a model added later is covered (or
fails the completeness and plaintext-scan tests) without anyone remembering to list it."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet

from diversion.people.models import Person

MAX_DEPTH = 5


@cache
def person_paths() -> dict[type[models.Model], tuple[str, ...]]:
    """Each model linked to a person: the lookups from it to the person's id ("" for Person),
    every path up to MAX_DEPTH foreign keys long."""
    found: dict[type[models.Model], set[str]] = defaultdict(set)
    found[Person].add("pk")
    frontier: dict[type[models.Model], set[str]] = {Person: {""}}
    for _ in range(MAX_DEPTH):
        reached: dict[type[models.Model], set[str]] = defaultdict(set)
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if not ((field.is_relation and field.many_to_one) or field.one_to_one):
                    continue
                if not getattr(field, "concrete", False) or field.related_model is None:
                    continue
                target = field.related_model
                for path in frontier.get(target, ()):  # type: ignore[call-overload]
                    lookup = f"{field.name}__{path}" if path else field.name
                    if lookup.count("__") < MAX_DEPTH and lookup not in found[model]:
                        reached[model].add(lookup)
        if not reached:
            break
        for model, paths in reached.items():
            found[model] |= paths
        frontier = reached
    return {model: tuple(sorted(paths)) for model, paths in found.items()}


def person_rows(model: type[models.Model], person_id: int) -> QuerySet[models.Model]:
    """The model's rows that belong to the person, by any of its paths."""
    match = Q()
    for path in person_paths()[model]:
        match |= Q(**{path if path == "pk" else f"{path}": person_id})
    return model._default_manager.filter(match).distinct()


def model_label(model: type[models.Model]) -> str:
    return model._meta.label
