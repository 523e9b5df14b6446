"""The methods page inside the product: docs/evaluation-methods.md (the one text, kept with the
code it describes) rendered in the GOV.UK style, with an anchor per section (`methods.anchor_of`)
so that every published table links to the definition of its figures."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from markdown_it import MarkdownIt

from diversion.evaluation.methods import anchor_of

SOURCE = Path(settings.PROJECT_DIR) / "docs" / "evaluation-methods.md"

_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "table_open": "govuk-table",
    "thead_open": "govuk-table__head",
    "tbody_open": "govuk-table__body",
    "tr_open": "govuk-table__row",
    "th_open": "govuk-table__header",
    "td_open": "govuk-table__cell",
    "link_open": "govuk-link",
}
_HEADINGS = {"h1": "govuk-heading-l", "h2": "govuk-heading-m", "h3": "govuk-heading-s"}


@lru_cache(maxsize=4)
def _render(path: Path, modified: float) -> tuple[str, str]:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = parser.parse(path.read_text(encoding="utf-8"))
    title = ""
    for position, token in enumerate(tokens):
        if token.type == "heading_open":
            text = tokens[position + 1].content
            token.attrSet("class", _HEADINGS.get(token.tag, "govuk-heading-s"))
            token.attrSet("id", anchor_of(text))
            title = title or text
        elif token.type == "inline":
            unlinked: list[bool] = []
            for child in token.children or []:
                if child.type == "link_open":
                    href = str(child.attrGet("href") or "")
                    # A link to a file in the repository means nothing inside the product.
                    unlinked.append(not href.startswith(("http://", "https://", "#")))
                if child.type in ("link_open", "link_close") and unlinked and unlinked[-1]:
                    if child.type == "link_close":
                        unlinked.pop()
                    child.type, child.tag, child.content = "text", "", ""
                    continue
                if child.type == "link_close" and unlinked:
                    unlinked.pop()
                if child.type in _CLASSES:
                    child.attrSet("class", _CLASSES[child.type])
        elif token.type in _CLASSES:
            token.attrSet("class", _CLASSES[token.type])
    return title, parser.renderer.render(tokens, parser.options, {})


def methods_html() -> tuple[str, str]:
    """The page's title and body (rendered again when the file changes)."""
    return _render(SOURCE, SOURCE.stat().st_mtime)
