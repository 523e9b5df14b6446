"""The demo's OpenID provider: npm `oidc-provider` (tools/oidc_provider.mjs) on loopback, for
West Midlands Police, started and stopped by `diversion run` like the worker (docs/identity.md).
The browser tests start the same provider for each test."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from joserfc.jwk import RSAKey

from diversion.accounts import sso
from diversion.accounts.models import IdentityProvider
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.demo.accounts import DEMO_DOMAIN
from diversion.schemes.models import Organisation

SCRIPT = settings.PROJECT_DIR / "tools" / "oidc_provider.mjs"
CLIENT_ID = "diversion-demo"
CLIENT_SECRET = "oidc-provider-loopback-secret"  # noqa: S105 (loopback demo only)
DEMO_FORCE = "West Midlands Police"
DEMO_FORCE_DOMAIN = f"westmidlands.{DEMO_DOMAIN}"
GROUPS = {
    "WMP-Diversion-Officers": Role.OFFICER,
    "WMP-Diversion-Supervisors": Role.POLICE_SUPERVISOR,
}
# Who can sign in at the demo provider (any password there): the force's demo accounts, and one
# officer Diversion does not know yet, whose account is made at first sign-in.
DEMO_ACCOUNTS = {
    f"officer@{DEMO_DOMAIN}": ("PC Sam Whitmore", ["WMP-Diversion-Officers"]),
    f"supervisor@{DEMO_DOMAIN}": ("Sgt Priya Kaur", ["WMP-Diversion-Supervisors"]),
    f"new.officer@{DEMO_FORCE_DOMAIN}": ("PC Alex Morgan", ["WMP-Diversion-Officers"]),
}


class ProviderNotStarted(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def signing_key(kid: str) -> dict[str, Any]:
    key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})
    return key.as_dict(private=True)


@dataclass
class NodeProvider:
    directory: Path
    app_urls: list[str]
    port: int = field(default_factory=free_port)
    keys: list[dict[str, Any]] = field(default_factory=lambda: [signing_key("key-1")])
    accounts: dict[str, Any] = field(default_factory=dict)
    _process: subprocess.Popen[str] | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set_account(self, login: str, *, name: str, groups: list[str]) -> None:
        """Read by the provider at every sign-in: no restart needed."""
        self.accounts[login] = {"email": login, "name": name, "groups": groups}
        (self.directory / "accounts.json").write_text(json.dumps(self.accounts))

    def start(self) -> NodeProvider:
        node = shutil.which("node")
        if node is None or not (settings.PROJECT_DIR / "node_modules" / "oidc-provider").is_dir():
            raise ProviderNotStarted("The OpenID provider needs node and `npm ci` (make install).")
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "keys.json").write_text(json.dumps({"keys": self.keys}))
        (self.directory / "accounts.json").write_text(json.dumps(self.accounts))
        config = {
            "issuer": self.issuer,
            "keys_file": str(self.directory / "keys.json"),
            "accounts_file": str(self.directory / "accounts.json"),
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{u}/sign-in/provider/callback/" for u in self.app_urls],
                    "post_logout_redirect_uris": [f"{u}/sign-out/done/" for u in self.app_urls],
                }
            ],
        }
        (self.directory / "provider.json").write_text(json.dumps(config))
        self._process = subprocess.Popen(  # noqa: S603
            [node, str(SCRIPT), "--config", str(self.directory / "provider.json")],
            cwd=settings.PROJECT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 20
        output = []
        assert self._process.stdout is not None
        while time.monotonic() < deadline:
            line = self._process.stdout.readline()
            if not line and self._process.poll() is not None:
                break
            output.append(line)
            if "listening on" in line:
                # Keep reading what it prints, so that a full pipe never blocks it.
                threading.Thread(target=self._process.stdout.read, daemon=True).start()
                return self
        self.stop()
        raise ProviderNotStarted("oidc-provider did not start:\n" + "".join(output))

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def rotate(self, kid: str) -> None:
        """The provider's new key signs from now on; the old one is withdrawn. Restarts the
        provider (not Diversion)."""
        self.stop()
        self.keys = [signing_key(kid)]
        self.start()


def demo_provider_start(
    *, host: str, port: int, provider_port: int | None = None, directory: Path | None = None
) -> NodeProvider:
    """Starts the demo force's provider (on port+1 unless told) and connects West Midlands
    Police to it."""
    urls = [f"http://{host}:{port}"]
    if host in {"127.0.0.1", "localhost"}:
        urls = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    directory = directory or settings.PROJECT_DIR / "var" / "demo-identity-provider"
    keys_file = directory / "signing-key.json"
    if keys_file.exists():
        keys = json.loads(keys_file.read_text())["keys"]
    else:
        keys = [signing_key("demo-key-1")]
        directory.mkdir(parents=True, exist_ok=True)
        keys_file.write_text(json.dumps({"keys": keys}))
    provider = NodeProvider(
        directory=directory, app_urls=urls, port=provider_port or port + 1, keys=keys
    )
    for login, (name, groups) in DEMO_ACCOUNTS.items():
        provider.accounts[login] = {"email": login, "name": name, "groups": groups}
    provider.start()
    force = Organisation.objects.filter(name=DEMO_FORCE).first()
    if force is None:
        provider.stop()
        raise ProviderNotStarted(f"No {DEMO_FORCE} in this database: load the demo data first.")
    saved = sso.identity_provider_save(
        actor=SYSTEM,
        organisation=force,
        display_name=DEMO_FORCE,
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domains=[DEMO_FORCE_DOMAIN],
        scopes="openid email profile groups",
    )
    for group, role in GROUPS.items():
        if not saved.group_roles.filter(group=group, role=role).exists():
            sso.group_role_save(actor=SYSTEM, identity_provider=saved, group=group, role=role)
    return provider


def provider_of(user: Any) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(
        organisation_id=user.organisation_id, is_active=True
    ).first()
