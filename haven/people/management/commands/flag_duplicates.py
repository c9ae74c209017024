from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from haven.orgs.models import Organisation
from haven.people import actions
from haven.people.duplicates import scan_organisation
from haven.people.models import Person


class Command(BaseCommand):
    help = (
        "Scan organisations for possible duplicate records (same phone, same ID number, similar name and "
        "date of birth) and flag the pairs not flagged before for review. Running it again flags nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="Only this organisation (its short name).")

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = Organisation.objects.order_by("slug")
        if options["org"]:
            orgs = orgs.filter(slug=options["org"])
            if not orgs.exists():
                raise CommandError(f"No organisation with the short name {options['org']!r}.")
        for org in orgs:
            self._scan(org)

    def _scan(self, org: Organisation) -> None:
        self.stdout.write(f"{org.slug}: scanning")
        pairs = scan_organisation(org, progress=lambda line: self.stdout.write(f"  {line}"))
        people = Person.objects.in_bulk({pk for pair in pairs for pk in pair})
        flagged = 0
        for (a, b), reasons in pairs.items():
            flag = actions.flag_duplicate(
                first=people[a], second=people[b], reasons=reasons, acting_user=None, at=timezone.now()
            )
            flagged += flag is not None
        self.stdout.write(f"{org.slug}: {flagged} new pairs flagged for review")
