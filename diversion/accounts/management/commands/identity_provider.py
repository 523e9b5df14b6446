"""Connect an organisation to its OpenID provider and map the provider's groups to roles, from
the command line (docs/identity.md). The same services as the pages will use; all audited."""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from diversion.accounts import sso
from diversion.accounts.models import IdentityProvider
from diversion.audit.services import SYSTEM
from diversion.schemes.models import Organisation


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return "; ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Set an organisation's OpenID provider (the issuer must answer and serve its keys), "
        "and map its groups to roles: --group GROUP=ROLE, repeated. The client secret is read "
        "from the environment variable named by --client-secret-env, never from the command line."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("organisation", help="The organisation's name, as in Diversion")
        parser.add_argument("--issuer", help="The provider's issuer URL")
        parser.add_argument("--client-id")
        parser.add_argument(
            "--client-secret-env",
            default="OIDC_CLIENT_SECRET",
            help="Environment variable holding the client secret (default OIDC_CLIENT_SECRET)",
        )
        parser.add_argument("--display-name", help='"Sign in with <display name>"')
        parser.add_argument("--domain", action="append", default=[], dest="domains")
        parser.add_argument("--scopes", default="openid email profile")
        parser.add_argument("--groups-claim", default="groups")
        parser.add_argument("--group", action="append", default=[], dest="groups")
        parser.add_argument("--remove-group", action="append", default=[], dest="removed")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation is called {options['organisation']!r}")
        provider = IdentityProvider.objects.filter(organisation=organisation).first()
        try:
            if options["issuer"]:
                provider = sso.identity_provider_save(
                    actor=SYSTEM,
                    organisation=organisation,
                    display_name=options["display_name"] or organisation.name,
                    issuer=options["issuer"],
                    client_id=options["client_id"] or (provider.client_id if provider else ""),
                    client_secret=os.environ.get(options["client_secret_env"]) or None,
                    email_domains=options["domains"]
                    or (provider.email_domains if provider else []),
                    scopes=options["scopes"],
                    groups_claim=options["groups_claim"],
                )
                self.stdout.write(f"{organisation}: signs in at {provider.issuer}")
            if provider is None:
                raise CommandError(f"{organisation} has no provider yet: give --issuer")
            for mapping in options["groups"]:
                group, _, role = mapping.rpartition("=")
                sso.group_role_save(
                    actor=SYSTEM, identity_provider=provider, group=group, role=role
                )
                self.stdout.write(f"  {group} -> {role}")
            for group in options["removed"]:
                for mapping in provider.group_roles.filter(group=group):
                    sso.group_role_remove(actor=SYSTEM, mapping=mapping)
                    self.stdout.write(f"  {group} removed")
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
