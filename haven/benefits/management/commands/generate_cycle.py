from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from haven.benefits import cycles
from haven.benefits.models import Cycle, Programme
from haven.orgs.models import Organisation


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise CommandError(f"Give the month as YYYY-MM, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Generate the entitlements of a programme's cycle for a month (opening the cycle if needed), in "
        "committed batches with a progress bar. Safe to interrupt: running it again resumes, and on a "
        "complete cycle adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", required=True, help="The programme's short name, e.g. vwb.")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument(
            "--org", help="The organisation's short name (needed when several have the code)."
        )
        parser.add_argument("--batch-size", type=int, default=cycles.BATCH_SIZE)
        parser.add_argument("--max-batches", type=int, default=None, help="Stop after this many batches.")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = self._programme(options["programme"], options["org"])
        month, now = _month(options["month"]), timezone.now()
        cycle = (
            Cycle.objects.filter(programme=programme, month=month).select_related("programme__org").first()
        )
        try:
            if cycle is None:
                cycle = cycles.open_cycle(programme=programme, month=month, acting_user=None, at=now)
            outcome = cycles.generate_entitlements(
                cycle=cycle,
                acting_user=None,
                at=now,
                batch_size=options["batch_size"],
                max_batches=options["max_batches"],
                progress=self._bar,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write("")
        state = "done" if outcome.finished else "stopped early; run again to continue"
        self.stdout.write(
            f"{programme.code} {month:%Y-%m}: {outcome.inserted} entitlements added; "
            f"{cycle.entitlement_count} in the cycle; {state}"
        )

    def _programme(self, code: str, org_slug: str | None) -> Programme:
        found = Programme.objects.filter(code=code).select_related("org")
        if org_slug:
            if not Organisation.objects.filter(slug=org_slug).exists():
                raise CommandError(f"No organisation with the short name {org_slug!r}.")
            found = found.filter(org__slug=org_slug)
        programmes: list[Programme] = list(found[:2])
        if not programmes:
            raise CommandError(f"No programme with the short name {code!r}.")
        if len(programmes) > 1:
            raise CommandError(f"Several organisations have a programme {code!r}: say which with --org.")
        return programmes[0]

    def _bar(self, done: int, total: int) -> None:
        width = 40
        filled = width * done // total if total else width
        percent = 100 * done // total if total else 100
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {percent:3d}% {done}/{total}", ending=""
        )
        self.stdout.flush()
