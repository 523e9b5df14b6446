"""`diversion deactivate_api_client <key id>`: shut out a lost or retired key at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diversion.api.services import api_client_deactivate
from diversion.audit.services import Actor


class Command(BaseCommand):
    help = "Deactivate an API client: its key stops working straight away."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key_id", help="The key id, like dvk_3f9c2a71b0e4d5c6")

    def handle(self, *args: Any, **options: Any) -> None:
        client = api_client_deactivate(
            key_id=options["key_id"], actor=Actor(label="operator:deactivate_api_client")
        )
        if client is None:
            raise CommandError(f"No API client has the key id {options['key_id']!r}.")
        self.stdout.write(
            f"Deactivated {client.name!r} of {client.organisation} ({client.key_id})."
        )
