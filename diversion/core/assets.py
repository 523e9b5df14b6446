"""Copy the front-end packages from node_modules into our static files.

Run as `python -m diversion.core.assets` (make assets).

GOV.UK Frontend's compiled CSS refers to its fonts and images as `/assets/...`; the copy rewrites
those to paths relative to the stylesheet so they work under any STATIC_URL.

Every copied .js and .css file keeps its source maps working: a map it references
(`sourceMappingURL=`) is copied next to it from the package, and a reference to a map the package
does not ship is removed. Production's collectstatic (ManifestStaticFilesStorage) rewrites these
references to hashed names and stops with MissingFileError at one that points nowhere.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path, PurePosixPath

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

# A source-map comment: `//# sourceMappingURL=…` ending a line (JavaScript; minified code often
# has it at the end of its one line) or `/*# sourceMappingURL=… */` (CSS); `//@` is the old form.
SOURCE_MAP_COMMENT = re.compile(
    r"//[#@][ \t]*sourceMappingURL=(?P<js>[^\s'\"]*)[ \t]*$"
    r"|/\*[#@][ \t]*sourceMappingURL=(?P<css>[^\s*]*)[ \t]*\*/",
    re.MULTILINE,
)


def _local_map(source: Path, url: str) -> Path | None:
    """The file in the package that `url` names beside or below `source`, if the package ships
    one. Anything else (an absolute path or address, `..`) is treated as missing."""
    if not url or url.startswith("/") or ":" in url:
        return None
    relative = PurePosixPath(url)
    if ".." in relative.parts:
        return None
    candidate = source.parent.joinpath(*relative.parts)
    return candidate if candidate.is_file() else None


def _bring_source_maps(source: Path, target: Path) -> list[Path]:
    """Copy the maps `target` (a copy of `source`) references; strip references to missing ones."""
    text = target.read_text(encoding="utf-8")
    copied: list[Path] = []

    def keep_or_strip(match: re.Match[str]) -> str:
        url = match.group("js") if match.group("js") is not None else match.group("css")
        if url.startswith("data:"):
            return match.group(0)  # an inline map needs no file
        found = _local_map(source, url)
        if found is None:
            return ""
        destination = target.parent / found.relative_to(source.parent)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found, destination)
        copied.append(destination)
        return match.group(0)

    rewritten = SOURCE_MAP_COMMENT.sub(keep_or_strip, text)
    if rewritten != text:
        target.write_text(rewritten, encoding="utf-8")
    return copied


def _copied_code(source: Path, target: Path) -> list[tuple[Path, Path]]:
    """Pairs (package file, our copy) of the .js and .css files a copy brought."""
    if not source.is_dir():
        return [(source, target)] if target.suffix in {".js", ".css"} else []
    return [
        (path, target / path.relative_to(source))
        for path in sorted(source.rglob("*"))
        if path.is_file() and path.suffix in {".js", ".css"}
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
        for code_source, code_target in _copied_code(source, target):
            written.extend(_bring_source_maps(code_source, code_target))
    return written


if __name__ == "__main__":
    files = build()
    sys.stdout.write(
        f"Front-end assets copied to {VENDOR.relative_to(PROJECT)} ({len(files)} items)\n"
    )
