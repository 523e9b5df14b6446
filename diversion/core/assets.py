"""Copy the front-end packages from node_modules into our static files.

Run as `python -m diversion.core.assets` (make assets).

GOV.UK Frontend's compiled CSS refers to its fonts and images as `/assets/...`; the copy rewrites
those to paths relative to the stylesheet so they work under any STATIC_URL.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
NODE_MODULES = PROJECT / "node_modules"
VENDOR = PROJECT / "diversion" / "static" / "vendor"

COPIES: list[tuple[str, str]] = [
    ("govuk-frontend/dist/govuk/govuk-frontend.min.css", "govuk/govuk-frontend.min.css"),
    ("govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk/govuk-frontend.min.js"),
    ("govuk-frontend/dist/govuk/assets", "govuk/assets"),
    ("@ministryofjustice/frontend/moj/moj-frontend.min.css", "moj/moj-frontend.min.css"),
    ("@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj/moj-frontend.min.js"),
    ("@ministryofjustice/frontend/moj/assets", "moj/assets"),
    # Charts: Vega-Lite specs drawn by vega-embed, with the CSP-safe expression interpreter.
    ("vega/build/vega.min.js", "vega/vega.min.js"),
    ("vega-lite/build/vega-lite.min.js", "vega/vega-lite.min.js"),
    ("vega-embed/build/vega-embed.min.js", "vega/vega-embed.min.js"),
    ("vega-interpreter/build/vega-interpreter.min.js", "vega/vega-interpreter.min.js"),
]


def build() -> list[Path]:
    written: list[Path] = []
    for source_name, target_name in COPIES:
        source, target = NODE_MODULES / source_name, VENDOR / target_name
        if not source.exists():
            raise SystemExit(f"{source} is missing: run `npm ci` first.")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        elif target.suffix == ".css":
            css = source.read_text(encoding="utf-8").replace("url(/assets/", "url(assets/")
            target.write_text(css, encoding="utf-8")
        else:
            shutil.copyfile(source, target)
        written.append(target)
    return written


if __name__ == "__main__":
    files = build()
    sys.stdout.write(
        f"Front-end assets copied to {VENDOR.relative_to(PROJECT)} ({len(files)} items)\n"
    )
