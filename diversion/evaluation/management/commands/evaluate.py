"""`diversion evaluate --scheme CODE --from DATE --to DATE --format json|csv|pdf [--output PATH]`

The same report as the commissioner's dashboard (every section, as an analyst sees it), from the
command line. json and pdf go to standard output unless `--output` is given; csv is a zip file
with one CSV per table (`<table key>.csv`), so it needs `--output`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diversion.audit.models import AuditAction
from diversion.audit.services import SYSTEM, audit_record
from diversion.evaluation.pdf import report_pdf
from diversion.evaluation.report import ALL_SECTIONS, Report, evaluation_report
from diversion.evaluation.views import table_csv
from diversion.schemes.models import Scheme


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD") from error


def scheme_by_code(code: str) -> Scheme:
    scheme = Scheme.objects.filter(code=code.upper()).first()
    if scheme is None:
        known = ", ".join(Scheme.objects.order_by("code").values_list("code", flat=True))
        raise CommandError(f"No scheme {code!r}. Schemes: {known or 'none'}")
    return scheme


def report_zip(report: Report, path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in report.tables():
            archive.writestr(f"{table.key}.csv", table_csv(table))
        archive.writestr("report.json", json.dumps(report.to_dict(), indent=2))


class Command(BaseCommand):
    help = "Produce the scheme's evaluation figures for a period as JSON, CSV (zip) or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scheme", required=True, help="the scheme's code, e.g. WM")
        parser.add_argument("--from", dest="start", required=True, type=parse_date)
        parser.add_argument("--to", dest="end", required=True, type=parse_date)
        parser.add_argument("--format", choices=["json", "csv", "pdf"], default="json")
        parser.add_argument("--local-authority", default="", help="an ONS code, e.g. E08000025")
        parser.add_argument("--output", type=Path, help="file to write (standard output if none)")

    def handle(self, *args: Any, **options: Any) -> None:
        scheme = scheme_by_code(options["scheme"])
        start, end = options["start"], options["end"]
        if end < start:
            raise CommandError("--to must be the same as or after --from")
        area = options["local_authority"]
        if area and not scheme.local_authorities.filter(ons_code=area).exists():
            raise CommandError(f"{area} is not a local authority of {scheme.name}")
        output: Path | None = options["output"]
        fmt = options["format"]
        if fmt == "csv" and output is None:
            raise CommandError("--format csv writes a zip file: give it a name with --output")
        report = evaluation_report(
            scheme=scheme, start=start, end=end, local_authority=area, sections=ALL_SECTIONS
        )
        if fmt == "json":
            text = json.dumps(report.to_dict(), indent=2) + "\n"
            if output is None:
                self.stdout.write(text, ending="")
            else:
                output.write_text(text, encoding="utf-8")
        elif fmt == "pdf":
            content = report_pdf(report)
            if output is None:
                sys.stdout.buffer.write(content)
                sys.stdout.flush()
            else:
                output.write_bytes(content)
        else:
            assert output is not None
            report_zip(report, output)
        audit_record(
            actor=SYSTEM,
            action=AuditAction.EXPORT,
            object_type="evaluation.Report",
            object_id=scheme.code,
            scheme=scheme,
            reason=f"diversion evaluate --format {fmt}",
            changes={"from": start.isoformat(), "to": end.isoformat(), "local_authority": area},
        )
        if output is not None:
            self.stderr.write(f"Wrote {output}")
