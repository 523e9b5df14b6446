"""R in the tests: the statistics are checked against R's own packages (MatchIt, survival).

On a developer's machine without R those tests skip, saying what to install. CI installs R and
sets DIVERSION_REQUIRE_R=1 (`.ci/run`), and there a missing package fails the test instead, so a
broken R install can never pass CI by skipping the comparisons.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

import pytest


@functools.cache
def r_package_available(package: str) -> bool:
    if shutil.which("Rscript") is None:
        return False
    check = subprocess.run(
        ["Rscript", "-e", f"quit(status = !requireNamespace('{package}', quietly = TRUE))"],
        capture_output=True,
        check=False,
    )
    return check.returncode == 0


def require_r_package(package: str, debian: str) -> None:
    """Skip (or, in CI, fail) unless Rscript can load `package`."""
    if r_package_available(package):
        return
    message = f"needs Rscript with the {package} package ({debian})"
    if os.environ.get("DIVERSION_REQUIRE_R") == "1":
        pytest.fail(f"{message}: CI requires it (DIVERSION_REQUIRE_R=1)")
    pytest.skip(message)
