"""`diversion create_api_client`: an operator gives a force's system its API key.

The secret is printed once and never stored; if it is lost, create another client and deactivate
the old one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from diversion.accounts.services import API_SCOPES, api_client_create
from diversion.audit.services import Actor
from diversion.schemes.models import Organisation


class Command(BaseCommand):
    help = "Create an API client for a police force and print its key (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", required=True, help='The force\'s name, e.g. "Kent Police"')
        parser.add_argument("--name", required=True, help="What the client is, e.g. its RMS")
        parser.add_argument(
            "--scopes",
            required=True,
            help=f"Comma-separated, from: {', '.join(API_SCOPES)}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        force = Organisation.objects.filter(name=options["force"], kind="force").first()
        if force is None:
            raise CommandError(f"No police force is called {options['force']!r}.")
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        try:
            client, secret = api_client_create(
                actor=Actor(label="operator:create_api_client"),
                organisation=force,
                name=options["name"],
                scopes=scopes,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Created API client {client.name!r} for {force} ({client.key_id}).")
        self.stdout.write(f"Scopes: {', '.join(client.scopes)}")
        self.stdout.write("Its key is shown only now. Keep it secret, in the force's system:")
        self.stdout.write(f"{client.key_id}.{secret}")
