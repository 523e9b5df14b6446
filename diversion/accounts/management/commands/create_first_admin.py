"""Create the first scheme administrator of a new deployment (accounts/bootstrap.py).

The password is read from the environment variable named by --password-env (default
DIVERSION_FIRST_ADMIN_PASSWORD), never from the command line, where `ps` and shell history
would keep it.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from diversion.accounts.bootstrap import first_admin_create
from diversion.core.roles import OrganisationKind


class Command(BaseCommand):
    help = (
        "Create the first scheme administrator and their organisation (refused once one exists). "
        "They set up two-factor authentication at their first sign-in, then set up everything "
        "else from the pages."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="The administrator's full name")
        parser.add_argument("--organisation", required=True, help="Their organisation's name")
        parser.add_argument(
            "--kind",
            default=OrganisationKind.COMMISSIONER,
            choices=[OrganisationKind.COMMISSIONER, OrganisationKind.FORCE],
            help="The organisation's kind (default commissioner)",
        )
        parser.add_argument("--password-env", default="DIVERSION_FIRST_ADMIN_PASSWORD")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get(options["password_env"], "")
        if not password:
            raise CommandError(
                f"Set the password in the environment variable {options['password_env']}"
            )
        try:
            user = first_admin_create(
                email=options["email"],
                full_name=options["name"],
                password=password,
                organisation_name=options["organisation"],
                organisation_kind=options["kind"],
            )
        except ValidationError as error:
            if hasattr(error, "message_dict"):
                text = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            else:
                text = "; ".join(error.messages)
            raise CommandError(text) from error
        self.stdout.write(
            f"Created {user.email}, scheme administrator at {user.organisation}. They sign in and "
            "set up their security code, then invite everyone else from the pages."
        )
