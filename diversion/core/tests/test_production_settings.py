"""Production settings, checked in a fresh interpreter as an operator would start the service."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

PROJECT = Path(__file__).resolve().parents[3]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = _clean_environment()
    return subprocess.run(
        [sys.executable, "-m", "diversion.cli", *args],
        env={**base, **env},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _clean_environment() -> dict[str, str]:
    """The test process's environment without what the tests themselves set (the browser tests
    allow async-unsafe calls, which a deployment must never do)."""
    dropped = {"SECRET_KEY", "DIVERSION_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    return {k: v for k, v in os.environ.items() if k not in dropped}


def _production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DIVERSION_ENV": "production",
        "SECRET_KEY": "p" * 20 + "roduction-secret-key-that-is-long-enough-123456",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": "a production blind index key",
        "ALLOWED_HOSTS": "diversion.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_encryption_keys(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["FIELD_ENCRYPTION_KEYS"]
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_production_refuses_the_development_keys(tmp_path: Path) -> None:
    env = {**_production_env(tmp_path), "BLIND_INDEX_KEY": "development-only-blind-index-key"}
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "Development encryption keys" in result.stderr


def test_check_deploy_reports_nothing_with_production_settings(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    assert _run(["migrate", "--no-input", "-v0"], env).returncode == 0
    result = _run(["check", "--deploy", "--fail-level", "DEBUG", "--database", "default"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_will_not_start_while_demo_accounts_exist(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    assert _run(["migrate", "--no-input", "-v0"], env).returncode == 0
    demo = _run(["demo_data"], {**env, "DIVERSION_ENV": "development"})
    assert demo.returncode == 0, demo.stderr
    result = _run(["check", "--deploy", "--database", "default"], env)
    assert result.returncode != 0
    assert "diversion.E001" in result.stderr + result.stdout
    wsgi = subprocess.run(
        [sys.executable, "-c", "import diversion.wsgi"],
        env={**_clean_environment(), **env},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert wsgi.returncode != 0
    assert "Demo accounts exist" in wsgi.stderr
    assert _run(["remove_demo_accounts"], env).returncode == 0
    assert _run(["check", "--deploy", "--database", "default"], env).returncode == 0


@pytest.mark.parametrize("value", ["staging", "prod"])
def test_an_unknown_environment_name_is_refused(tmp_path: Path, value: str, **_: Any) -> None:
    result = _run(["check"], {**_production_env(tmp_path), "DIVERSION_ENV": value})
    assert result.returncode != 0
    assert "DIVERSION_ENV must be" in result.stderr
