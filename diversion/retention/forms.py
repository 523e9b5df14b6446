from __future__ import annotations

from typing import Any

from django import forms

from diversion.retention.registry import Action, RetentionKind
from diversion.retention.schedules import MAX_DAYS, EffectiveSchedule


class ScheduleForm(forms.Form):
    """Field-level checks; the schedule's own rules (schedules._validate) come back by field."""

    period_days = forms.IntegerField(
        label="Days to keep",
        min_value=0,
        max_value=MAX_DAYS,
        error_messages={
            "required": "Enter how many days to keep the records",
            "invalid": "Days to keep must be a whole number, like 365",
            "min_value": "Days to keep must be 0 or more",
            "max_value": f"Days to keep must be {MAX_DAYS:,} or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    action = forms.ChoiceField(
        label="At the end of the period",
        choices=Action.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what happens at the end of the period",
            "invalid_choice": "Choose delete or anonymise",
        },
    )
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Recorded in the audit log, for example the data protection officer's advice",
        max_length=300,
        error_messages={
            "required": "Enter the reason for the change",
            "max_length": "Reason must be 300 characters or fewer",
        },
    )

    def __init__(self, *args: Any, kind: RetentionKind, current: EffectiveSchedule, **kw: Any):
        kw.setdefault("initial", {"period_days": current.period_days, "action": current.action})
        super().__init__(*args, **kw)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a, str(Action(a).label)) for a in kind.actions]
        if len(kind.actions) == 1:
            only = str(Action(kind.actions[0]).label).lower()
            field.error_messages["invalid_choice"] = (
                f"{kind.label} can only be {only}d at the end of the period"
            )
        self.fields["period_days"].help_text = (
            f"Counted from when {kind.clock_label}. 0 means the night after. "
            f"Default: {kind.default_days:,} days"
        )
