"""The roles of Diversion's users and what kind of organisation each belongs to."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "Police officer"
    POLICE_SUPERVISOR = "police_supervisor", "Police supervisor"
    WORKER = "worker", "Substance-misuse worker"
    FACILITATOR = "facilitator", "Course facilitator"
    PROVIDER_MANAGER = "provider_manager", "Provider manager"
    ANALYST = "analyst", "Commissioner analyst"
    EVALUATOR = "evaluator", "External evaluator"
    SCHEME_ADMIN = "scheme_admin", "Scheme administrator"

    @classmethod
    def police(cls) -> set[str]:
        return {cls.OFFICER, cls.POLICE_SUPERVISOR}

    @classmethod
    def provider(cls) -> set[str]:
        return {cls.WORKER, cls.FACILITATOR, cls.PROVIDER_MANAGER}

    @classmethod
    def aggregate_only(cls) -> set[str]:
        """Roles that never see a person's name."""
        return {cls.ANALYST, cls.EVALUATOR}


class OrganisationKind(models.TextChoices):
    FORCE = "force", "Police force"
    PROVIDER = "provider", "Provider"
    COMMISSIONER = "commissioner", "Police and Crime Commissioner"
    EVALUATOR = "evaluator", "Evaluator"


# Which organisations each role may belong to: one table, checked when a user is saved.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.OFFICER: {OrganisationKind.FORCE},
    Role.POLICE_SUPERVISOR: {OrganisationKind.FORCE},
    Role.WORKER: {OrganisationKind.PROVIDER},
    Role.FACILITATOR: {OrganisationKind.PROVIDER},
    Role.PROVIDER_MANAGER: {OrganisationKind.PROVIDER},
    Role.ANALYST: {OrganisationKind.COMMISSIONER},
    Role.EVALUATOR: {OrganisationKind.EVALUATOR},
    Role.SCHEME_ADMIN: {OrganisationKind.COMMISSIONER, OrganisationKind.FORCE},
}
