"""Every text field of the staff forms (casework, scheduling, courses) has a length limit, tells
the browser (`maxlength`), and names itself when a pasted 5,000 characters are too many, instead
of Django's "Ensure this value has at most ..." which names nothing (issue 18). The officer's
forms are checked with the officer's pages."""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any

import pytest
from django import forms
from django.template.loader import render_to_string

from diversion.accounts.models import User
from diversion.casework import forms as casework_forms
from diversion.casework import manage_forms as casework_manage_forms
from diversion.courses import forms as courses_forms
from diversion.scheduling import forms as scheduling_forms
from diversion.schemes.models import Scheme

MODULES: list[ModuleType] = [
    casework_forms,
    casework_manage_forms,
    courses_forms,
    scheduling_forms,
]
LONG = "x" * 5_000


def form_classes() -> list[type[forms.Form]]:
    return [
        value
        for module in MODULES
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, forms.Form)
        and value.__module__ == module.__name__
    ]


def construct(form_class: type[forms.Form], scheme: Scheme, data: Any = None) -> forms.Form:
    """The form as its view makes it, with empty choices where it needs some."""
    given: dict[str, Any] = {
        "code": "cannabis",
        "others": [],
        "age": 30,
        "young": False,
        "proposed": "",
        "course_types": [],
        "versions": [],
        "services": [],
        "staff": [],
        "slots": [],
        "label": "Time",
        "schemes": [],
        "scheme": scheme,
        "facilitators": User.objects.none(),
        "enrolments": [],
    }
    wanted = inspect.signature(form_class.__init__).parameters
    kwargs = {name: value for name, value in given.items() if name in wanted}
    return form_class(data, **kwargs)


def text_fields(form: forms.Form) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.HiddenInput)
    ]


def test_the_staff_forms_are_all_found() -> None:
    assert len(form_classes()) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", form_classes(), ids=lambda cls: cls.__name__)
def test_every_text_field_has_a_limit_the_browser_knows(
    form_class: type[forms.Form], scheme: Scheme
) -> None:
    form = construct(form_class, scheme)
    for name in text_fields(form):
        field = form.fields[name]
        assert field.max_length, f"{form_class.__name__}.{name} has no length limit"
        html = render_to_string("includes/field.html", {"field": form[name]})
        assert f'maxlength="{field.max_length}"' in html, html


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", form_classes(), ids=lambda cls: cls.__name__)
def test_too_long_a_value_gets_a_message_naming_its_field(
    form_class: type[forms.Form], scheme: Scheme
) -> None:
    empty = construct(form_class, scheme)
    names = text_fields(empty)
    data = {name: "x" * max(len(LONG), (empty.fields[name].max_length or 0) + 1) for name in names}
    form = construct(form_class, scheme, data=data)
    form.is_valid()
    for name in names:
        label = str(form.fields[name].label or "").removesuffix(" (optional)")
        errors = form.errors.get(name, [])
        assert errors, f"{form_class.__name__}.{name} took 5,000 characters"
        assert not any("Ensure this value" in error for error in errors), errors
        assert any(
            f"{form.fields[name].max_length} characters or fewer" in error for error in errors
        ), errors
        first = errors[0].casefold()
        words = [word for word in label.casefold().replace("'", " ").split() if len(word) > 3]
        assert not words or any(word in first for word in words), (label, errors)
