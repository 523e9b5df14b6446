"""Pages for course types, sessions, enrolment and the capacity plan (the manager and worker).
The facilitator's pages (their sessions, the roster and the register) are in `register_views.py`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.courses import selectors, services
from diversion.courses.capacity import capacity_for_scheme
from diversion.courses.enrolment import NotEnrollable, enrolment_book
from diversion.courses.forms import CourseSettingsForm, CourseTypeForm, EnrolForm, SessionForm
from diversion.schemes.models import Scheme

MANAGER = Role.PROVIDER_MANAGER


def _scheme(request: HttpRequest) -> tuple[Any, list[Any]]:
    return selectors.scheme_for_courses(user=request.user, code=request.GET.get("scheme"))


def _with_scheme(name: str, scheme: Scheme) -> str:
    return f"{reverse(name)}?scheme={scheme.code}"


def shown_to(request: HttpRequest) -> Any:
    """Who the page shows the person's details to, for the selector to audit; nobody when the
    request saves a change (its service audits that)."""
    return None if request.method == "POST" else request.user


# --- Course types -------------------------------------------------------------------------------


@roles(MANAGER)
def course_type_list(request: HttpRequest) -> HttpResponse:
    types = [
        {"item": t, "editable": selectors.course_type_editable(user=request.user, course_type=t)}
        for t in selectors.course_types_for_manager(user=request.user)
    ]
    return render(request, "courses/course_type_list.html", {"types": types})


@roles(MANAGER)
def course_type_add(request: HttpRequest) -> HttpResponse:
    return _course_type_form(request, None)


@roles(MANAGER)
def course_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_type_form(request, selectors.course_type_for_manager(user=request.user, pk=pk))


def _course_type_form(request: HttpRequest, course_type: Any) -> HttpResponse:
    initial = CourseTypeForm.initial_from(course_type) if course_type else {}
    form = CourseTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.course_type_save(
                actor=Actor.of(request.user),
                provider=request.user.organisation,  # type: ignore[union-attr]
                course_type=course_type,
                **form.cleaned_data,
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"{saved.name} saved")
            return redirect("courses:course-type-list")
    context = {"form": form, "course_type": course_type}
    return render(request, "courses/course_type_form.html", context)


# --- Settings -----------------------------------------------------------------------------------


@roles(MANAGER)
def course_settings(request: HttpRequest) -> HttpResponse:
    scheme, schemes = _scheme(request)
    current = selectors.settings_for(scheme)
    form = CourseSettingsForm(
        request.POST or None,
        initial={
            "course_wait_target_days": current.course_wait_target_days,
            "offers_in_person": str(current.offers_in_person),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.course_settings_update(
                actor=Actor.of(request.user), scheme=scheme, **form.cleaned_data
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"Course settings for {scheme.name} saved")
            return redirect(_with_scheme("courses:capacity", scheme))
    context = {"form": form, "scheme": scheme, "schemes": schemes}
    return render(request, "courses/settings_form.html", context)


# --- Sessions -----------------------------------------------------------------------------------


@roles(MANAGER)
def session_list(request: HttpRequest) -> HttpResponse:
    scheme, schemes = _scheme(request)
    sessions = selectors.sessions_for_scheme(scheme=scheme, since=timezone.now())
    context = {"scheme": scheme, "schemes": schemes, "sessions": sessions}
    return render(request, "courses/session_list.html", context)


@roles(MANAGER)
def session_add(request: HttpRequest) -> HttpResponse:
    scheme, schemes = _scheme(request)
    offers_in_person = selectors.settings_for(scheme).offers_in_person
    form = SessionForm(
        request.POST or None, scheme=scheme, facilitators=selectors.facilitators_of(scheme)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.session_create(
                actor=Actor.of(request.user),
                scheme=scheme,
                course_type=data["course_type"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                delivery=data["delivery"],
                meeting_link=data["meeting_link"],
                venue=data["venue"],
                capacity=data["capacity"],
                facilitators=list(data["facilitators"]),
                repeat_weeks=data["repeat_weeks"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
                error.error_dict["date"] = error.error_dict.pop("starts_at")
            if hasattr(error, "error_dict") and "ends_at" in error.error_dict:
                error.error_dict["end_time"] = error.error_dict.pop("ends_at")
            copy_validation_errors(form, error)
        else:
            count = len(created)
            messages.success(
                request,
                f"{count} session{'s' if count != 1 else ''} of {data['course_type']} added",
            )
            return redirect(_with_scheme("courses:session-list", scheme))
    context = {
        "form": form,
        "scheme": scheme,
        "schemes": schemes,
        "offers_in_person": offers_in_person,
    }
    return render(request, "courses/session_form.html", context)


# --- Waiting and enrolment ----------------------------------------------------------------------


@roles(Role.WORKER, MANAGER)
def waiting(request: HttpRequest) -> HttpResponse:
    scheme, schemes = _scheme(request)
    rows = selectors.waiting_list_for(user=request.user, scheme=scheme)
    context = {"scheme": scheme, "schemes": schemes, "rows": rows}
    return render(request, "courses/waiting.html", context)


@roles(Role.WORKER, MANAGER)
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.enrolment_page(user=request.user, referral_id=pk, shown_to=shown_to(request))
    referral, scheme = page.referral, page.scheme
    form = EnrolForm(request.POST or None, scheme=scheme, initial=page.initial)
    if request.method == "POST" and form.is_valid():
        try:
            placement = enrolment_book(
                actor=Actor.of(request.user),
                referral_id=referral.pk,
                course_type_id=form.cleaned_data["course_type"].pk,
                time_of_day=form.cleaned_data["time_of_day"],
                delivery_preference=form.cleaned_data["delivery_preference"],
            )
        except NotEnrollable as error:
            form.add_error(None, str(error))
        else:
            name = referral.person.full_name
            if placement.enrolment is not None:
                starts = timezone.localtime(placement.enrolment.session.starts_at)
                messages.success(
                    request, f"{name} is booked on the course on {starts:%A %-d %B at %H:%M}"
                )
            else:
                messages.success(
                    request, f"Every suitable session is full: {name} is on the waitlist"
                )
            return redirect(_with_scheme("courses:waiting", scheme))
    return render(request, "courses/enrol.html", vars(page) | {"form": form})


# --- Capacity -----------------------------------------------------------------------------------


@roles(MANAGER)
def capacity(request: HttpRequest) -> HttpResponse:
    scheme, schemes = _scheme(request)
    plan = capacity_for_scheme(scheme=scheme)
    busiest = max((week.count for week in plan.referrals_by_week), default=0) or 1
    bars = [
        {"week": week, "percent": round(100 * week.count / busiest)}
        for week in plan.referrals_by_week
    ]
    slope = plan.trend_per_week
    trend = (
        f"rising by {slope:.1f} a week each week"
        if slope >= 0.05
        else f"falling by {-slope:.1f} a week each week"
        if slope <= -0.05
        else "steady"
    )
    context = {"scheme": scheme, "schemes": schemes, "plan": plan, "bars": bars, "trend": trend}
    return render(request, "courses/capacity.html", context)
