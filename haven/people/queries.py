"""Finding a returning person before registering her again: by phone, by ID number, then by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from haven.orgs.models import membership_of
from haven.people.models import Person, PersonNameToken
from haven.people.names import blind_name_tokens, blind_word_tokens, rank
from haven.privacy.blind import NormalisationError, identifier_index, phone_index

# Name candidates: at most this many people are decrypted and ranked per search.
_MAX_NAME_CANDIDATES = 100
# A common name ("Begum", "Mohammad") is carried by a large share of a Bangladeshi register: reading
# all of its token rows costs far more than the 50 ms budget (bench/person_search.py), so each
# candidate query below stops at a cap.
_FILL_ROWS = 600  # rows read, per query word, for people who match some words only


@dataclass
class PersonMatch:
    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)


def find_returning_people(
    *, user: Any, phone: str = "", id_number: str = "", id_kind: str = "", name: str = "", limit: int = 5
) -> list[PersonMatch]:
    """Candidates in the user's organisation, best first, each with the reasons it matched."""
    membership = membership_of(user)
    people = Person.objects.visible_to(user)
    if membership is None:
        return []
    org = membership.org
    found: dict[Any, PersonMatch] = {}
    for person, reason in _exact_matches(people, org, phone, id_kind, id_number):
        match = found.setdefault(person.pk, PersonMatch(person, 100.0))
        match.reasons.append(reason)
    if name.strip():
        for match in _name_matches(people, org.pk, name, limit):
            existing = found.setdefault(match.person.pk, match)
            if existing is not match:
                existing.reasons.extend(match.reasons)
    best = sorted(found.values(), key=lambda m: m.score, reverse=True)[:limit]
    for match in best:
        match.person.org = org  # all are of her organisation (`visible_to`): not read again per file
    return best


def _exact_matches(
    people: Any, org: Any, phone: str, id_kind: str, id_number: str
) -> list[tuple[Person, str]]:
    matches: list[tuple[Person, str]] = []
    try:
        if phone.strip():
            index = phone_index(org.pk, phone, org.country)
            matches += [(p, _("same phone number")) for p in people.filter(phone_index=index)]
        if id_number.strip():
            index = identifier_index(org.pk, id_kind or "OTHER", id_number)
            matches += [(p, _("same ID number")) for p in people.filter(id_number_index=index)]
    except NormalisationError:
        pass  # an unreadable phone or ID simply finds nothing; the name may still find her
    return matches


def _name_matches(people: Any, org_id: Any, name: str, limit: int) -> list[PersonMatch]:
    person_ids = _name_candidate_ids(org_id, name)
    # Ranking needs the names only; loading whole rows for every candidate cost more than the ranking.
    candidates = people.filter(pk__in=person_ids).only("id", "org_id", "name", "latin_name")
    ranked = rank(name, ((p.pk, f"{p.name} {p.latin_name}".strip()) for p in candidates), limit=limit)
    full = people.in_bulk([m.key for m in ranked])
    return [
        PersonMatch(full[m.key], m.score, [str(reason) for reason in m.reasons])
        for m in ranked
        if m.key in full
    ]


def _name_candidate_ids(org_id: Any, name: str) -> list[Any]:
    """Up to _MAX_NAME_CANDIDATES people sharing blind name tokens with ``name``, best kinds first.

    First people who match every word of the query (share each word's coarsest token); then, if
    there is room, people who match some word, so a misspelt word does not hide her.
    """
    words = blind_word_tokens(org_id, name)
    if not words:
        return []
    found = dict.fromkeys(_matching_every_word(org_id, words))
    if len(found) < _MAX_NAME_CANDIDATES:
        tokens = sorted(blind_name_tokens(org_id, name))
        for person_id in _matching_some_word(org_id, tokens, len(words)):
            found.setdefault(person_id)
            if len(found) >= _MAX_NAME_CANDIDATES:
                break
    return list(found)


def _matching_every_word(org_id: Any, words: list[str]) -> list[Any]:
    """People who share every word's token: one semi-join per further word, stopped at the cap.

    The planner orders the joins from its statistics of common tokens. The organisation is repeated in
    each probe so an index on (org, token, person) can serve both sides of a merge join, which reads a
    common combination ("Fatema Begum") only until the cap is reached and a rare combination of common
    words in one pass over the shorter lists (docs/performance.md, person search).
    """
    tokens = PersonNameToken.objects.filter(org_id=org_id)
    matching = tokens.filter(token=words[0])
    for word in words[1:]:
        matching = matching.filter(Exists(tokens.filter(person_id=OuterRef("person_id"), token=word)))
    return list(matching.values_list("person_id", flat=True)[:_MAX_NAME_CANDIDATES])


def _matching_some_word(org_id: Any, tokens: list[str], word_count: int) -> list[Any]:
    """People holding any of the tokens, reading a bounded number of rows (not a bounded number of people)."""
    rows = PersonNameToken.objects.filter(org_id=org_id, token__in=tokens).values_list("person_id", flat=True)
    return list(rows[: _FILL_ROWS * word_count])
