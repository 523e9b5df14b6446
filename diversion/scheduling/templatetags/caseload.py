"""Links from the caseload pages to the case page, which the casework part provides."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.filter
def case_url(referral: Any) -> str:
    """The case page of the referral, or "" while no case page exists."""
    try:
        return reverse("casework:case", args=[referral.reference])
    except NoReverseMatch:
        return ""
