"""Finding a known person to mark at a session or to enrol in a training: by survivor code, else by name
through the people app's blind-indexed name search. Only people the user may see are found."""

from __future__ import annotations

from datetime import date
from typing import Any

from haven.people.models import Person
from haven.people.queries import find_returning_people

MAX_MATCHES = 10


def find_people(user: Any, query: str) -> list[Person]:
    """An exact survivor code first (case does not matter); otherwise the best name matches."""
    text = query.strip()
    if not text:
        return []
    by_code = list(Person.objects.visible_to(user).filter(survivor_code__iexact=text)[:1])
    if by_code:
        return by_code
    return [match.person for match in find_returning_people(user=user, name=text, limit=MAX_MATCHES)]


def age_of(person: Person, today: date) -> int | None:
    born = person.born_on
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
