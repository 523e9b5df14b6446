from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from diversion.accounts.services import API_SCOPES
from diversion.schemes.models import Organisation

SCOPE_CHOICES = list(API_SCOPES.items())


class ScopesForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label="What the system may do",
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one thing the system may do",
            "invalid_choice": "Choose from the list",
        },
    )


class ApiClientForm(ScopesForm):
    """The force is asked for only when the administrator looks after more than one."""

    organisation = forms.ModelChoiceField(
        label="Police force",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the police force whose system this is"},
    )
    name = forms.CharField(
        label="Name of the system",
        help_text="So you can tell its keys apart, like “Niche RMS (live)”",
        max_length=120,
        error_messages={
            "required": "Enter the name of the system",
            "max_length": "The name must be 120 characters or fewer",
        },
    )
    field_order = ["organisation", "name", "scopes"]

    def __init__(self, *args: Any, forces: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.forces = list(forces)
        if len(self.forces) > 1:
            self.fields["organisation"].queryset = forces  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]

    def force(self) -> Organisation:
        if "organisation" in self.fields:
            chosen: Organisation = self.cleaned_data["organisation"]
            return chosen
        return self.forces[0]
