"""Forms of the set-up pages: schemes, organisations, local authorities. Field checks only; the
services check the rest and their errors come back on the named fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from diversion.core.dates import GovUKDateField
from diversion.core.forms import ModelMultipleChoiceField
from diversion.core.roles import OrganisationKind
from diversion.schemes.models import LocalAuthority, Organisation, OutcomeCode, Scheme
from diversion.schemes.policy import DRUG_CLASSES
from diversion.schemes.setup_services import SchemeDetails


def _organisation_field(label: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(
        label=label,
        queryset=Organisation.objects.none(),
        empty_label=f"Choose the {label.lower()}",
        error_messages={
            "required": f"Choose the {label.lower()}",
            "invalid_choice": f"Choose the {label.lower()} from the list",
        },
    )


class _AuthorityChoices(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.ons_code}), {obj.force}"


class SchemeForm(forms.Form):
    """The scheme's details; on the set-up page also its code, policy version, outcome and drug
    classes; on the change page a reason instead."""

    code = forms.CharField(
        label="Scheme code",
        help_text="2 or 3 capital letters, like WMD. It begins every referral reference and "
        "cannot be changed later",
        max_length=3,
        error_messages={
            "required": "Enter the scheme code",
            "max_length": "The scheme code must be 2 or 3 letters",
        },
    )
    name = forms.CharField(
        label="Scheme name",
        max_length=120,
        error_messages={
            "required": "Enter the scheme's name",
            "max_length": "The name must be 120 characters or fewer",
        },
    )
    force = _organisation_field("Police force")
    provider = _organisation_field("Provider")
    commissioner = _organisation_field("Commissioner")
    local_authorities = _AuthorityChoices(
        label="Local authorities the scheme covers",
        help_text="Only the police force's own local authorities",
        queryset=LocalAuthority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose local authorities from the list"},
    )
    evaluators = ModelMultipleChoiceField(
        label="Evaluation teams (optional)",
        help_text="External evaluators who may receive pseudonymised extracts",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose evaluation teams from the list"},
    )
    go_live = GovUKDateField(label="Go-live date", help_text="For example, 1 4 2026")
    policy_version = forms.IntegerField(
        label="Policy version to start from",
        help_text="1 for a new scheme; a scheme that ran before Diversion may carry on its "
        "own numbering. Each policy change adds one",
        initial=1,
        min_value=1,
        max_value=999,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the policy version",
            "invalid": "The policy version must be a whole number",
            "min_value": "The policy version must be 1 or more",
            "max_value": "The policy version must be 999 or less",
        },
    )
    outcome_code = forms.TypedChoiceField(
        label="Outcome recorded",
        choices=OutcomeCode.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome the scheme records"},
    )
    eligible_drug_classes = forms.MultipleChoiceField(
        label="Drug classes the scheme accepts",
        help_text="The rest of the policy (deadlines, exclusions, course types) starts from the "
        "standard values: change it on the policy page",
        choices=list(DRUG_CLASSES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Recorded in the audit log with the change",
        max_length=300,
        error_messages={"required": "Enter the reason for the change"},
    )

    CREATE_ONLY = ("code", "policy_version", "outcome_code", "eligible_drug_classes")

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        local_authorities: QuerySet[LocalAuthority],
        creating: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for place, kind in (
            ("force", OrganisationKind.FORCE),
            ("provider", OrganisationKind.PROVIDER),
            ("commissioner", OrganisationKind.COMMISSIONER),
            ("evaluators", OrganisationKind.EVALUATOR),
        ):
            self.fields[place].queryset = organisations.filter(kind=kind)  # type: ignore[attr-defined]
        self.fields["local_authorities"].queryset = local_authorities  # type: ignore[attr-defined]
        for name in self.CREATE_ONLY if not creating else ("reason",):
            del self.fields[name]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().upper()
        if not (code.isascii() and code.isalpha() and 2 <= len(code) <= 3):
            raise forms.ValidationError("Enter 2 or 3 capital letters, like WMD")
        return code

    def details(self) -> SchemeDetails:
        data = self.cleaned_data
        return SchemeDetails(
            name=data["name"],
            force=data["force"],
            provider=data["provider"],
            commissioner=data["commissioner"],
            local_authorities=list(data["local_authorities"]),
            evaluators=list(data["evaluators"]),
            go_live=data["go_live"],
        )

    @staticmethod
    def initial_from(scheme: Scheme) -> dict[str, Any]:
        return {
            "name": scheme.name,
            "force": scheme.force_id,
            "provider": scheme.provider_id,
            "commissioner": scheme.commissioner_id,
            "local_authorities": [la.pk for la in scheme.local_authorities.all()],
            "evaluators": [e.pk for e in scheme.evaluators.all()],
            "go_live": [scheme.go_live.day, scheme.go_live.month, scheme.go_live.year],
        }


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of organisation"},
    )
    name = forms.CharField(
        label="Name",
        help_text="Its full name, like West Midlands Police",
        max_length=200,
        error_messages={
            "required": "Enter the organisation's name",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    short_name = forms.CharField(
        label="Short name (optional)",
        help_text="Used where space is short, like WMP",
        max_length=40,
        required=False,
        error_messages={"max_length": "The short name must be 40 characters or fewer"},
    )


class LocalAuthorityForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        error_messages={
            "required": "Enter the local authority's name",
            "max_length": "The name must be 120 characters or fewer",
        },
    )
    ons_code = forms.CharField(
        label="ONS code",
        help_text="The 9-character code the census and the ONS use, like E08000025 for Birmingham",
        max_length=12,
        error_messages={
            "required": "Enter the local authority's ONS code",
            "max_length": "The ONS code is 9 characters, like E08000025",
        },
    )
    force = forms.ModelChoiceField(
        label="Police force",
        help_text="The force whose area it is in",
        queryset=Organisation.objects.none(),
        empty_label="Choose the police force",
        error_messages={
            "required": "Choose the police force",
            "invalid_choice": "Choose the police force from the list",
        },
    )

    def __init__(self, *args: Any, forces: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = forces  # type: ignore[attr-defined]
