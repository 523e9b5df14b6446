"""The quarterly access review of a scheme (accounts/leavers.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from diversion.accounts import leavers
from diversion.core.access import roles
from diversion.schemes.selectors import scheme_for_user, schemes_for_user


@roles(*leavers.REVIEWERS)
def access_review_schemes(request: HttpRequest) -> HttpResponse:
    schemes = schemes_for_user(user=request.user).filter(is_active=True)
    return render(request, "accounts/access_review_schemes.html", {"schemes": schemes})


@roles(*leavers.REVIEWERS)
def access_review(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    rows = leavers.access_review_rows(viewer=request.user, scheme=scheme)
    error = ""
    if request.method == "POST":
        try:
            leavers.access_review_confirm(viewer=request.user, scheme=scheme, rows=rows)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(request, "You have confirmed the list")
            return redirect("accounts:access-review", code=scheme.code)
    context = {
        "scheme": scheme,
        "rows": rows,
        "latest": leavers.access_review_latest(viewer=request.user, scheme=scheme),
        "quarter": leavers.quarter_of(timezone.localdate()),
        "error": error,
    }
    return render(request, "accounts/access_review.html", context, status=400 if error else 200)
