from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haven.web.catalogues import problems


class Command(BaseCommand):
    help = "Check every language's catalogue: compiles, complete, and in step with the code's messages."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        found = problems()
        for problem in found:
            self.stderr.write(problem)
        if found:
            raise CommandError(
                "Translation catalogues need work (run: haven makemessages --all, then translate)."
            )
        self.stdout.write("Translation catalogues are complete and compile.")
