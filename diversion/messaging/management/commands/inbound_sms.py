"""Record a text message a person sent us, as the Notify callback would (for development, or a
reply that reached staff another way): `diversion inbound_sms --from 07700900123 --text STOP`."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from diversion.messaging.addresses import InboundInvalid
from diversion.messaging.inbound import inbound_sms_record


class Command(BaseCommand):
    help = "Record a text message from a person (a reply such as STOP) and act on it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="sender", required=True, help="Their mobile number")
        parser.add_argument("--text", required=True, help="What they sent")
        parser.add_argument("--id", default="", help="The provider's id (default: a new one)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            inbound = inbound_sms_record(
                provider_id=options["id"] or f"manual-{uuid.uuid4()}",
                sender=options["sender"],
                text=options["text"],
                received_at=timezone.now(),
            )
        except InboundInvalid as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{inbound.get_action_display()} ({inbound.people} people)")
