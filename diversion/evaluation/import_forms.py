"""The upload form for the police and ONS data: a scheme the user may see, what the file holds,
and the CSV file itself, checked before the import reads a row of it.

The checks here answer what a person can put right before trying again (no file, an empty one,
too large, not a CSV, not text); the import itself answers a missing column and bad rows
(`imports/base.py`), so the page and `import_police_data` report a file the same way.
"""

from __future__ import annotations

import codecs
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from diversion.evaluation.imports import IMPORTERS
from diversion.evaluation.models import ImportKind
from diversion.schemes.selectors import schemes_for_user

# A spreadsheet saved as CSV.
CSV_EXTENSIONS = (".csv",)
# What a file that is not text starts with, and what to tell the person who chose it.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "The selected file is an Excel workbook or a ZIP: save it as CSV first"),
    (
        b"\xd0\xcf\x11\xe0",
        "The selected file is an older Excel workbook (.xls): save it as CSV first",
    ),
    (b"%PDF", "The selected file is a PDF: choose the CSV file"),
)
UTF16_MESSAGE = (
    "The selected file is saved as UTF-16 (Unicode text): save it as “CSV UTF-8” and try again"
)
ENCODING_MESSAGE = (
    "The selected file is not UTF-8 or Windows-1252 text: save it as “CSV UTF-8” and try again"
)


def import_max_bytes() -> int:
    return int(settings.EVALUATION_IMPORT_MAX_MB * 1024 * 1024)


def kind_choices() -> list[tuple[str, str]]:
    """Every importer, labelled as the models name its data set, in `IMPORTERS`' order."""
    return [(kind, str(ImportKind(kind).label)) for kind in IMPORTERS]


def kind_columns() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each kind's required and optional columns, shown under its radio button."""
    return {kind: (importer.required, importer.optional) for kind, importer in IMPORTERS.items()}


def _text_problem(data: bytes) -> str | None:
    """Why the bytes are not a CSV's text, or None: the same decoding the import uses
    (UTF-8 with or without a byte-order mark, else Windows-1252)."""
    for signature, message in SIGNATURES:
        if data.startswith(signature):
            return message
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        return UTF16_MESSAGE
    if b"\x00" in data:
        return "The selected file holds binary data, not text: choose the CSV file"
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return ENCODING_MESSAGE
    return None


def _has_a_row(data: bytes) -> bool:
    lines = data.lstrip(codecs.BOM_UTF8).splitlines()
    return len(lines) > 1 and any(line.strip(b' ,;\t"') for line in lines[1:])


class ImportForm(forms.Form):
    scheme = forms.ChoiceField(label="Scheme", error_messages={"required": "Choose a scheme"})
    kind = forms.ChoiceField(
        label="What does the file hold?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what the file holds",
            "invalid_choice": "Choose one of the kinds of data listed",
        },
    )
    file = forms.FileField(
        label="Upload a CSV file",
        allow_empty_file=True,  # answered below, in the service's words
        error_messages={
            "required": "Select a CSV file",
            "invalid": "Select a CSV file",
            "missing": "Select a CSV file",
        },
    )

    def __init__(
        self, data: Any = None, files: Any = None, *, user: Any, initial: Any = None
    ) -> None:
        super().__init__(data, files, initial=initial)
        self.schemes = list(schemes_for_user(user=user).order_by("name"))
        scheme_field: Any = self.fields["scheme"]
        scheme_field.choices = [(s.code, s.name) for s in self.schemes]
        scheme_field.error_messages["invalid_choice"] = "Choose one of your schemes"
        kind_field: Any = self.fields["kind"]
        kind_field.choices = kind_choices()
        self.max_bytes = import_max_bytes()
        limit = f"{settings.EVALUATION_IMPORT_MAX_MB:g} MB"
        self.fields["file"].help_text = f"A CSV file (comma-separated, UTF-8) smaller than {limit}"
        self.data_bytes = b""

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = (upload.name or "").casefold()
        if not name.endswith(CSV_EXTENSIONS):
            raise forms.ValidationError("The selected file must be a CSV")
        if upload.size is not None and upload.size >= self.max_bytes:
            raise forms.ValidationError(
                f"The selected file must be smaller than {settings.EVALUATION_IMPORT_MAX_MB:g} MB: "
                "the people who run the service can import a larger one"
            )
        data = b"".join(upload.chunks())
        if not data.strip():
            raise forms.ValidationError("The selected file is empty")
        problem = _text_problem(data)
        if problem:
            raise forms.ValidationError(problem)
        if not _has_a_row(data):
            raise forms.ValidationError("The selected file has a header but no rows below it")
        self.data_bytes = data
        return upload

    def scheme_chosen(self) -> Any:
        code = self.cleaned_data["scheme"]
        return next(s for s in self.schemes if s.code == code)
