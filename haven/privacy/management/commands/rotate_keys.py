from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from haven.orgs.models import Organisation
from haven.privacy import rotation
from haven.privacy.keyring import MasterKeyError, decode_master_key


class Command(BaseCommand):
    help = (
        "Rotate data keys: create a new key version per organisation and re-encrypt every value in batches. "
        "Safe to interrupt; running it again continues. With --new-master-key-file, re-wrap the data keys "
        "under a new master key instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="Only this organisation (its short name).")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--max-batches",
            type=int,
            default=None,
            help="Stop after this many batches (to spread the work over several windows).",
        )
        parser.add_argument("--new-master-key-file", help="Re-wrap all data keys under the key in this file.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["new_master_key_file"]:
            self._rewrap(Path(options["new_master_key_file"]), now)
            return
        orgs = Organisation.objects.all()
        if options["org"]:
            orgs = orgs.filter(slug=options["org"])
            if not orgs.exists():
                raise CommandError(f"No organisation with the short name {options['org']!r}.")
        for org in orgs:
            self._rotate(org, options["batch_size"], options["max_batches"])

    def _rotate(self, org: Organisation, batch_size: int, max_batches: int | None) -> None:
        outcome = rotation.rotate_organisation(
            org.pk,
            batch_size=batch_size,
            max_batches=max_batches,
            progress=lambda label, n: self.stdout.write(f"  {label}: {n} re-encrypted"),
        )
        started = f"new key version {outcome.new_version}" if outcome.new_version else "continued a rotation"
        if not outcome.finished:
            self.stdout.write(
                f"{org.slug}: {started}; stopped with rows left on old keys; run again to continue"
            )
            return
        self.stdout.write(f"{org.slug}: {started}; done; retired key versions {outcome.retired}")

    def _rewrap(self, path: Path, now: Any) -> None:
        try:
            new_key = decode_master_key(path.read_text(encoding="ascii"), str(path))
        except (OSError, MasterKeyError) as exc:
            raise CommandError(str(exc)) from None
        count = rotation.rewrap_all(new_key, at=now)
        self.stdout.write(
            f"Re-wrapped {count} data keys. Now point HAVEN_MASTER_KEY_FILE at {path} and restart."
        )
