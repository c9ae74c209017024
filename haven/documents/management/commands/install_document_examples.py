"""`haven install_document_examples <organisation>`: add Haven's example document templates to an
organisation (idempotent: examples it already has are left alone)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from haven.documents.actions import install_examples
from haven.orgs.models import Organisation


class Command(BaseCommand):
    help = "Add the example document templates (protection order, police complaint) to an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="The organisation's short name (slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(slug=options["organisation"]).first()
        if org is None:
            raise CommandError(f"No organisation with the short name {options['organisation']!r}.")
        added = install_examples(org=org, acting_user=None, at=timezone.now())
        self.stdout.write(f"added {len(added)}")
