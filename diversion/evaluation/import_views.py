"""Importing police and ONS data for the evaluation from a page: the same `import_file` the
`import_police_data` command calls, with the signed-in user as the audit actor.

Analysts and scheme administrators may import (docs/evaluation-data.md says why): the analyst
needs the data for the figures, the scheme administrator runs the scheme's data feeds. The file
is read from the upload (Django keeps a large one in a temporary file, deleted when the request
ends) and never stored; only the batch's counts, the file's SHA-256 and the bad-row report are.
"""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.roles import Role
from diversion.evaluation.import_forms import ImportForm, kind_columns
from diversion.evaluation.imports import IMPORTERS, ImportResult, import_file
from diversion.evaluation.imports.history import import_batches_for_user

IMPORT_ROLES = (Role.ANALYST, Role.SCHEME_ADMIN)
# The page lists this many bad rows; the batch keeps up to 10,000 (imports/base.py).
BAD_ROWS_SHOWN = 500


def _missing_columns_message(result: ImportResult) -> str:
    missing = ", ".join(result.missing_columns)
    plural = "columns" if len(result.missing_columns) > 1 else "a column"
    return (
        f"The selected file lacks {plural} this kind of data needs: {missing}. Nothing was imported"
    )


def _import(form: ImportForm, request: HttpRequest) -> ImportResult | None:
    """The import's result, or None with the reason on the form (nothing imported)."""
    kind = form.cleaned_data["kind"]
    upload = form.cleaned_data["file"]
    try:
        result = import_file(
            importer=IMPORTERS[kind](),
            scheme=form.scheme_chosen(),
            data=form.data_bytes,
            file_name=upload.name or "",
            actor=Actor.of(request.user),
        )
    except csv.Error as error:
        # The transaction rolled back: no batch, no rows, no audit row.
        form.add_error(
            "file", f"The selected file cannot be read as CSV ({error}). Nothing was imported"
        )
        return None
    if result.refused:
        form.add_error("file", _missing_columns_message(result))
        return None
    return result


@roles(*IMPORT_ROLES)
def imports(request: HttpRequest) -> HttpResponse:
    result: ImportResult | None = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            result = _import(form, request)
            if result is not None:
                # A fresh form for the next file, with the same scheme and kind chosen.
                chosen = {key: form.cleaned_data[key] for key in ("scheme", "kind")}
                form = ImportForm(user=request.user, initial=chosen)
    else:
        form = ImportForm(user=request.user)
    context: dict[str, Any] = {
        "form": form,
        "result": result,
        "bad_rows": result.bad_rows[:BAD_ROWS_SHOWN] if result else [],
        "bad_rows_hidden": max(len(result.bad_rows) - BAD_ROWS_SHOWN, 0) if result else 0,
        "columns": kind_columns(),
        "batches": import_batches_for_user(user=request.user),
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "evaluation/imports.html", context, status=status)
