"""Finding a returning person before registering her again: by phone, by ID number, then by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from haven.orgs.models import membership_of
from haven.people.models import Person, PersonNameToken
from haven.people.names import blind_name_tokens, rank
from haven.privacy.blind import NormalisationError, identifier_index, phone_index

# Name candidates are those sharing at least this many blind tokens with the query: one shared skeleton
# is enough, since a first name alone is a common way to ask.
_MIN_SHARED_TOKENS = 1
_MAX_NAME_CANDIDATES = 200


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
    return sorted(found.values(), key=lambda m: m.score, reverse=True)[:limit]


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
    tokens = blind_name_tokens(org_id, name)
    person_ids = (
        PersonNameToken.objects.filter(org_id=org_id, token__in=tokens)
        .values_list("person_id", flat=True)
        .distinct()[:_MAX_NAME_CANDIDATES]
    )
    candidates = people.filter(pk__in=list(person_ids))
    ranked = rank(name, ((p, f"{p.name} {p.latin_name}".strip()) for p in candidates), limit=limit)
    return [PersonMatch(m.key, m.score, [str(reason) for reason in m.reasons]) for m in ranked]
