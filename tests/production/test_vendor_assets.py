"""The front-end copy keeps source maps whole (issue 12): production's collectstatic rewrites each
`sourceMappingURL=` to the map's hashed name and stops at one that names a missing file."""

from __future__ import annotations

from pathlib import Path

import pytest

from diversion.core import assets


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty package in a temporary node_modules, copied into a temporary vendor directory."""
    node_modules = tmp_path / "node_modules"
    monkeypatch.setattr(assets, "NODE_MODULES", node_modules)
    monkeypatch.setattr(assets, "VENDOR", tmp_path / "vendor")
    root = node_modules / "pkg"
    (root / "assets" / "js").mkdir(parents=True)
    return root


def test_copies_the_maps_a_file_references_and_strips_references_to_missing_ones(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One line of minified code ending in the comment, as GOV.UK Frontend ships it.
    (package / "one.min.js").write_text("var a=1;//# sourceMappingURL=one.min.js.map")
    (package / "one.min.js.map").write_text('{"version":3}')
    # Its own line, but the package ships no map.
    (package / "two.min.js").write_text("var b=2;\n//# sourceMappingURL=two.min.js.map\n")
    (package / "style.min.css").write_text(
        "a{background:url(/assets/x.png)}\n/*# sourceMappingURL=style.min.css.map */\n"
    )
    (package / "style.min.css.map").write_text('{"version":3}')
    inline = "var c;\n//# sourceMappingURL=data:application/json;base64,e30=\n"
    (package / "inline.min.js").write_text(inline)
    # Inside a copied directory, climbing out of its directory: stripped.
    (package / "assets" / "js" / "deep.js").write_text("var d;\n//# sourceMappingURL=../../x.map")
    monkeypatch.setattr(
        assets,
        "COPIES",
        [
            ("pkg/one.min.js", "p/one.min.js"),
            ("pkg/two.min.js", "p/two.min.js"),
            ("pkg/style.min.css", "p/style.min.css"),
            ("pkg/inline.min.js", "p/inline.min.js"),
            ("pkg/assets", "p/assets"),
        ],
    )

    written = assets.build()

    vendor = assets.VENDOR / "p"
    assert (vendor / "one.min.js").read_text() == "var a=1;//# sourceMappingURL=one.min.js.map"
    assert (vendor / "one.min.js.map").read_text() == '{"version":3}'
    assert vendor / "one.min.js.map" in written
    assert (vendor / "two.min.js").read_text() == "var b=2;\n\n"
    assert not (vendor / "two.min.js.map").exists()
    assert (vendor / "style.min.css").read_text() == (
        "a{background:url(assets/x.png)}\n/*# sourceMappingURL=style.min.css.map */\n"
    )
    assert (vendor / "style.min.css.map").exists()
    assert (vendor / "inline.min.js").read_text() == inline
    assert (vendor / "assets" / "js" / "deep.js").read_text() == "var d;\n"


def test_every_vendored_file_names_only_maps_that_exist() -> None:
    """What `make assets` produced from the pinned packages: nothing dangling."""
    code = [path for path in assets.VENDOR.rglob("*") if path.suffix in {".js", ".css"}]
    assert code, f"{assets.VENDOR} is empty: run `make assets`"
    for path in code:
        for match in assets.SOURCE_MAP_COMMENT.finditer(path.read_text(encoding="utf-8")):
            url = match.group("js") or match.group("css")
            if not url.startswith("data:"):
                assert (path.parent / url).is_file(), f"{path} names {url}, which is missing"
