"""The import contracts in `.importlinter` hold, and they would catch a back-edge: a copy of the
package with one upward import added (at module level, or hidden inside a function) breaks
them, and so does a cycle between two modules of an app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(tree / ".importlinter")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The package's source and the contracts, in a throw-away copy."""
    shutil.copytree(
        ROOT / "diversion",
        tmp_path / "diversion",
        ignore=shutil.ignore_patterns("static", "templates", "__pycache__", "*.html"),
    )
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text() + "\n" + line + "\n")


def test_the_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_the_copy_is_clean_before_it_is_changed(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_lower_app_importing_a_higher_one_breaks_the_layers(tree: Path) -> None:
    add_line(tree / "diversion/people/models.py", "from diversion.scheduling import models as _x")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "diversion.people is not allowed to import diversion.scheduling" in result.stdout


def test_a_back_edge_hidden_inside_a_function_is_caught_too(tree: Path) -> None:
    add_line(
        tree / "diversion/core/access.py",
        "def _sneaky() -> None:\n    from diversion.referrals.models import Referral  # noqa",
    )
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "diversion.core is not allowed to import diversion.referrals" in result.stdout


def test_two_independent_apps_may_not_know_each_other(tree: Path) -> None:
    add_line(tree / "diversion/casework/rules.py", "import diversion.engagement.models")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "diversion.casework is not allowed to import diversion.engagement" in result.stdout


def test_a_cycle_between_two_modules_of_an_app_breaks_the_acyclic_contract(tree: Path) -> None:
    add_line(tree / "diversion/referrals/drugs.py", "from diversion.referrals import details")
    add_line(tree / "diversion/referrals/details.py", "from diversion.referrals import drugs")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "No cycles are allowed in diversion.referrals" in result.stdout
