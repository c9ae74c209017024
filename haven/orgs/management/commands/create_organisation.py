import getpass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from haven.accounts.actions import create_staff_member
from haven.orgs.actions import create_organisation
from haven.orgs.models import Calendar
from haven.orgs.roles import Role


class Command(BaseCommand):
    help = "Create an organisation and its first administrator (who then adds staff in the staff UI)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True, help="Short name, e.g. maison-secours.")
        parser.add_argument("--country", required=True, help="ISO country code, e.g. CA or BD.")
        parser.add_argument("--language", default="en", choices=[code for code, _ in settings.LANGUAGES])
        parser.add_argument("--calendar", default=Calendar.GREGORIAN, choices=Calendar.values)
        parser.add_argument("--admin-username", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        password = getpass.getpass("Password for the first administrator: ")
        now = timezone.now()
        try:
            with transaction.atomic():
                org = create_organisation(
                    name=options["name"],
                    slug=options["slug"],
                    country=options["country"],
                    default_language=options["language"],
                    default_calendar=options["calendar"],
                    acting_user=None,
                    at=now,
                )
                create_staff_member(
                    org=org,
                    username=options["admin_username"],
                    password=password,
                    first_name="",
                    last_name="",
                    role=Role.ORG_ADMIN,
                    site=None,
                    language=options["language"],
                    acting_user=None,
                    at=now,
                )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            ) from None
        self.stdout.write(
            f"Created {org.name}. Sign in as {options['admin_username']} to add sites and staff."
        )
