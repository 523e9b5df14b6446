from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from diversion.schemes.models import Organisation
from diversion.webhooks.events import EVENTS
from diversion.webhooks.services import webhook_url_problem


class SubscriptionForm(forms.Form):
    """The force is asked for only when the administrator looks after more than one."""

    organisation = forms.ModelChoiceField(
        label="Police force",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the police force whose system will receive events"},
    )
    url = forms.CharField(
        label="Address of the force's webhook endpoint",
        help_text="Must start with https://, for example https://police.example/diversion/webhooks",
        max_length=500,
        error_messages={
            "required": "Enter the address of the force's webhook endpoint",
            "max_length": "The address must be 500 characters or fewer",
        },
    )
    events = forms.MultipleChoiceField(
        label="Events to send",
        help_text="Each delivery has the referral reference and status, never a name",
        choices=list(EVENTS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event"},
    )

    def __init__(self, *args: Any, forces: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.forces = list(forces)
        if len(self.forces) > 1:
            self.fields["organisation"].queryset = forces  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        if problem := webhook_url_problem(url):
            raise forms.ValidationError(problem)
        return url

    def force(self) -> Organisation:
        if "organisation" in self.fields:
            chosen: Organisation = self.cleaned_data["organisation"]
            return chosen
        return self.forces[0]
