"""Parts of a scheme's policy that apps above schemes own.

The scheme's own policy fields are in `policy.py`. An app higher up that adds to the policy (the
courses app: the course types a scheme offers) registers a `PolicyPart` with
`policy_part_register` from its `AppConfig.ready()`. The policy page then shows the part's field
before the reason, the scheme page its summary row, and `services.scheme_policy_update`
validates, audits and saves it with the rest of the policy, as one new version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django import forms

    from diversion.schemes.models import Scheme


@dataclass(frozen=True, kw_only=True)
class PolicyPart:
    # The form field's name, the key of its errors and of its change in the audit log.
    name: str
    # The row's label on the scheme page.
    label: str
    # A new form field for the policy page, and the template that shows it (includes/...).
    form_field: Callable[[], forms.Field]
    form_template: str
    # The part's value now: the form's initial value, and what a change leaves alone.
    current: Callable[[Scheme], Any]
    # A value as the audit log records it (JSON: strings, numbers, lists).
    snapshot: Callable[[Any], Any]
    # The errors of a value, given the whole proposed policy (field name -> value).
    check: Callable[[Mapping[str, Any], Any], list[str]]
    # Store a value, inside the policy change's transaction.
    save: Callable[[Scheme, Any], None]
    # The lines of the part's row on the scheme page.
    summary: Callable[[Scheme], list[str]]


_PARTS: dict[str, PolicyPart] = {}


def policy_part_register(part: PolicyPart) -> None:
    """Add `part` to every scheme's policy; registering the same name again replaces it."""
    _PARTS[part.name] = part


def policy_parts() -> list[PolicyPart]:
    """Every registered part, in the order registered."""
    return list(_PARTS.values())
