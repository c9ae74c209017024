"""Possible duplicates: which pairs of records are similar enough to ask a person to review them.

A flag is only a question for a reviewer, never a merge, so the thresholds aim at "worth a look" while
keeping the queue short enough to be read:

- the same phone number or the same ID number (equal blind indexes of the normalised value) is strong on
  its own; a family phone shared by sisters is exactly what the reviewer then marks "different people";
- a name alone is not: "Fatema Begum" is shared by thousands of women. A name counts only with a date of
  birth near enough (see `births_near`) and a score of at least `NAME_SCORE_THRESHOLD` in both
  directions. 90 is reached when every token has the same consonant skeleton (95 each), or one token
  only sounds alike (85); a first name alone against a full name stays far below it.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count

from haven.orgs.models import Organisation
from haven.people.models import DuplicateFlag, Person, PersonMerge, PersonNameToken, merge_undo_window
from haven.people.names import latin_tokens, score_names
from haven.people.queries import find_returning_people

Reason = DuplicateFlag.Reason
Pair = tuple[Any, Any]

NAME_SCORE_THRESHOLD = 90.0
# Exact dates: a slip of one digit in the day, or the day and month written the other way round.
EXACT_BIRTH_TOLERANCE = timedelta(days=31)
# An estimated date ("about 30 years old") is rarely given closer than a year either way.
ESTIMATED_BIRTH_TOLERANCE = timedelta(days=366)
# A phone or ID number on more records than this is a placeholder ("0000", an office phone), not a
# person; every pair of them would swamp the queue. The scan reports it instead.
MAX_SHARED_IDENTIFIER = 10
# Name tokens held by more records than this are too common to find pairs by (the scan would compare
# every pair); rarer tokens of the same names still bring true duplicates together.
MAX_NAME_BUCKET = 2000


def ordered(a: Any, b: Any) -> Pair:
    """A pair in the order the flag stores it (smaller primary key first)."""
    return (a, b) if a < b else (b, a)


def births_near(a: Person, b: Person) -> bool:
    if a.born_on is None or b.born_on is None:
        return False
    estimated = a.born_on_is_estimate or b.born_on_is_estimate
    tolerance = ESTIMATED_BIRTH_TOLERANCE if estimated else EXACT_BIRTH_TOLERANCE
    return abs(a.born_on - b.born_on) <= tolerance or _day_month_swapped(a.born_on, b.born_on)


def _day_month_swapped(a: date, b: date) -> bool:
    return a.year == b.year and a.day == b.month and a.month == b.day


def _full_name(person: Person) -> str:
    return f"{person.name} {person.latin_name}".strip()


def names_alike(a: Person, b: Person) -> bool:
    left, right = latin_tokens(_full_name(a)), latin_tokens(_full_name(b))
    score = min(score_names(left, right)[0], score_names(right, left)[0])
    return score >= NAME_SCORE_THRESHOLD


def reasons_for(a: Person, b: Person) -> list[str]:
    """Why two records may be one woman, as `DuplicateFlag.Reason` codes; empty if not strongly alike."""
    reasons = []
    if a.phone_index and a.phone_index == b.phone_index:
        reasons.append(Reason.SAME_PHONE.value)
    if a.id_number_index and a.id_number_index == b.id_number_index:
        reasons.append(Reason.SAME_ID_NUMBER.value)
    if births_near(a, b) and names_alike(a, b):
        reasons.append(Reason.SIMILAR_NAME_AND_BIRTH.value)
    return reasons


def strong_candidates(person: Person, *, user: Any) -> list[tuple[Person, list[str]]]:
    """Records the user's search would offer for a newly registered person that are strongly alike.

    A name alone is never a strong likeness: it counts only with a birth date near hers
    (`reasons_for`). Without her birth date the name search could only find people this check drops,
    so it is not run; a hotline registers most callers with a name and a number only, and the name
    search is most of what registering costs (bench/contact_intake.py).
    """
    matches = find_returning_people(
        user=user,
        phone=person.phone,
        id_kind=person.id_kind,
        id_number=person.id_number,
        name=_full_name(person) if person.born_on is not None else "",
        limit=10,
    )
    found = []
    for match in matches:
        if match.person.pk != person.pk and (reasons := reasons_for(person, match.person)):
            found.append((match.person, reasons))
    return found


def review_queue(user: Any) -> Any:
    """Open flags the user reviews, oldest first; pairs with a record merged elsewhere wait for its undo."""
    return (
        DuplicateFlag.objects.visible_to(user)
        .filter(status=DuplicateFlag.Status.OPEN)
        .filter(person_a__merged_into__isnull=True, person_b__merged_into__isnull=True)
        .select_related("person_a", "person_b")
    )


def undoable_merges(user: Any, *, at: datetime) -> Any:
    """Merges the user reviews that can still be undone, newest first."""
    since = at - merge_undo_window()
    return (
        PersonMerge.objects.visible_to(user)
        .filter(undone_at__isnull=True, merged_at__gte=since)
        .select_related("kept", "merged")
    )


# --- Scanning a whole organisation (the `flag_duplicates` command) ------------------------------------


Progress = Callable[[str], None]


def scan_organisation(org: Organisation, progress: Progress) -> dict[Pair, list[str]]:
    """Pairs of live records of `org` that are strongly alike, with their reasons, not yet flagged."""
    people = Person.objects.filter(org=org, merged_into__isnull=True)
    found: dict[Pair, set[str]] = defaultdict(set)
    for index_field, reason in (
        ("phone_index", Reason.SAME_PHONE),
        ("id_number_index", Reason.SAME_ID_NUMBER),
    ):
        pairs = list(_shared_identifier_pairs(people, index_field, progress))
        progress(f"{reason.label}: {len(pairs)}")
        for pair in pairs:
            found[pair].add(reason.value)
    for pair in _similar_name_and_birth_pairs(people, progress):
        found[pair].add(Reason.SIMILAR_NAME_AND_BIRTH.value)
    flagged = set(DuplicateFlag.objects.filter(org=org).values_list("person_a_id", "person_b_id"))
    return {pair: sorted(reasons) for pair, reasons in found.items() if pair not in flagged}


def _shared_identifier_pairs(people: Any, index_field: str, progress: Progress) -> Iterator[Pair]:
    shared = (
        people.exclude(**{index_field: ""})
        .values(index_field)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list(index_field, "n")
    )
    for value, count in shared:
        if count > MAX_SHARED_IDENTIFIER:
            progress(f"  skipped a value shared by {count} records ({index_field}): probably a placeholder")
            continue
        ids = sorted(people.filter(**{index_field: value}).values_list("pk", flat=True))
        yield from itertools.combinations(ids, 2)


def _similar_name_and_birth_pairs(people: Any, progress: Progress) -> Iterator[Pair]:
    """Pairs sharing a name token and born within the widest tolerance, then checked one by one.

    Candidates come from blind token equality and dates alone; only they are decrypted and scored.
    """
    births = {pk: born for pk, born in people.filter(born_on__isnull=False).values_list("pk", "born_on")}
    buckets: dict[str, list[Any]] = defaultdict(list)
    tokens = PersonNameToken.objects.filter(person_id__in=list(births)).values_list("token", "person_id")
    for token, person_id in tokens.iterator(chunk_size=5000):
        buckets[token].append(person_id)
    candidates: set[Pair] = set()
    for members in buckets.values():
        if len(members) <= MAX_NAME_BUCKET:
            candidates.update(_born_close(members, births))
    progress(f"Name and date of birth: {len(candidates)} candidate pairs to check")
    yield from _check_name_pairs(people, sorted(candidates), progress)


def _born_close(members: Iterable[Any], births: dict[Any, date]) -> Iterator[Pair]:
    """Pairs in a token bucket born within the widest tolerance, by a sliding window over birth dates.

    A day-and-month swap stays within one calendar year, so inside that window too.
    """
    by_birth = sorted(members, key=lambda pk: births[pk])
    for i, first in enumerate(by_birth):
        for second in by_birth[i + 1 :]:
            if births[second] - births[first] > ESTIMATED_BIRTH_TOLERANCE:
                break
            yield ordered(first, second)


def _check_name_pairs(people: Any, pairs: list[Pair], progress: Progress, batch: int = 500) -> Iterator[Pair]:
    for start in range(0, len(pairs), batch):
        chunk = pairs[start : start + batch]
        loaded = people.in_bulk({pk for pair in chunk for pk in pair})
        for a, b in chunk:
            if births_near(loaded[a], loaded[b]) and names_alike(loaded[a], loaded[b]):
                yield (a, b)
        progress(f"  checked {min(start + batch, len(pairs))}/{len(pairs)}")
