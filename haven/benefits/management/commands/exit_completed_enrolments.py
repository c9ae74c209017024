from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from haven.benefits.actions import exit_completed_enrolments
from haven.benefits.models import Programme


class Command(BaseCommand):
    help = (
        "Close, as completed, every active enrolment whose last month has passed (all programmes, or one). "
        "Run it at the start of each month, before generating the month's cycles; safe to rerun."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", help="Only programmes with this short name.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        programmes = Programme.objects.select_related("org")
        if options["programme"]:
            programmes = programmes.filter(code=options["programme"])
        for programme in programmes:
            closed = exit_completed_enrolments(
                programme=programme, on=timezone.localdate(now), acting_user=None, at=now
            )
            self.stdout.write(f"{programme.org.slug} {programme.code}: {closed} enrolments completed")
