"""Synthetic people for measuring name matching: invented combinations of common names, in several scripts.

No real person is described: given names and family names are common ones from the seed countries,
paired mechanically. Each name part is written by hand as Latin spelling variants plus, where the
country has one, its native-script spelling; a person is rendered once per Latin variant and once in
native script (2 to 4 renderings).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from haven.people.names import rank, search_tokens

# (Latin spelling variants, native-script spelling or "" if the country writes in Latin).
Part = tuple[tuple[str, ...], str]

BANGLADESH_GIVEN: tuple[Part, ...] = (
    (("Fatema", "Fatima"), "ফাতেমা"),
    (("Rokeya", "Rokaiya"), "রোকেয়া"),
    (("Nasrin", "Nasreen"), "নাসরিন"),
    (("Sultana",), "সুলতানা"),
    (("Shirin", "Sirin"), "শিরিন"),
    (("Salma",), "সালমা"),
    (("Jahanara", "Zahanara"), "জাহানারা"),
    (("Farzana",), "ফারজানা"),
    (("Rahima",), "রহিমা"),
    (("Amina", "Aminah"), "আমিনা"),
    (("Nargis",), "নার্গিস"),
    (("Khadija", "Khadiza"), "খাদিজা"),
    (("Taslima",), "তাসলিমা"),
    (("Shapla",), "শাপলা"),
    (("Moushumi", "Mousumi"), "মৌসুমী"),
)
BANGLADESH_FAMILY: tuple[Part, ...] = (
    (("Begum", "Begom"), "বেগম"),
    (("Akter", "Akhter", "Aktar"), "আক্তার"),
    (("Khatun", "Khatoon"), "খাতুন"),
    (("Islam",), "ইসলাম"),
    (("Rahman",), "রহমান"),
    (("Hossain", "Hussain"), "হোসেন"),
    (("Chowdhury", "Choudhury"), "চৌধুরী"),
    (("Sarker", "Sarkar"), "সরকার"),
)
IRAN_GIVEN: tuple[Part, ...] = (
    (("Fatemeh", "Fatemeh"), "فاطمه"),
    (("Maryam", "Mariam"), "مریم"),
    (("Zahra",), "زهرا"),
    (("Shirin",), "شیرین"),
    (("Nasrin",), "نسرین"),
    (("Parvin",), "پروین"),
    (("Leila", "Leyla"), "لیلا"),
    (("Mahnaz",), "مهناز"),
    (("Azadeh",), "آزاده"),
    (("Roya",), "رویا"),
    (("Soraya",), "ثریا"),
    (("Zeinab", "Zaynab"), "زینب"),
    (("Niloufar", "Nilufar"), "نیلوفر"),
    (("Golnar",), "گلنار"),
    (("Setareh",), "ستاره"),
)
IRAN_FAMILY: tuple[Part, ...] = (
    (("Rezaei", "Rezaee"), "رضایی"),
    (("Ahmadi",), "احمدی"),
    (("Mohammadi",), "محمدی"),
    (("Karimi",), "کریمی"),
    (("Hosseini", "Hoseini"), "حسینی"),
    (("Moradi",), "مرادی"),
    (("Jafari", "Jafary"), "جعفری"),
    (("Sadeghi", "Sadeqi"), "صادقی"),
)
KAZAKHSTAN_GIVEN: tuple[Part, ...] = (
    (("Aigerim", "Aygerim"), "Айгерим"),
    (("Madina",), "Мадина"),
    (("Aruzhan", "Arujan"), "Аружан"),
    (("Zhanar", "Janar"), "Жанар"),
    (("Gulnara",), "Гульнара"),
    (("Asem", "Assem"), "Әсем"),
    (("Dinara",), "Динара"),
    (("Saule",), "Сауле"),
    (("Akbota", "Aqbota"), "Ақбота"),
    (("Ainur", "Aynur"), "Айнұр"),
    (("Olga",), "Ольга"),
    (("Kamila",), "Камила"),
)
KAZAKHSTAN_FAMILY: tuple[Part, ...] = (
    (("Akhmetova", "Ahmetova"), "Ахметова"),
    (("Nurlanova",), "Нурланова"),
    (("Seitkali", "Seytkali"), "Сейткали"),
    (("Zhaksylykova", "Jaksylykova"), "Жаксылыкова"),
    (("Omarova",), "Омарова"),
    (("Ivanova",), "Иванова"),
    (("Kassymova", "Kasymova"), "Касымова"),
    (("Bekova",), "Бекова"),
)
INDIA_GIVEN: tuple[Part, ...] = (
    (("Priya",), "प्रिया"),
    (("Sunita", "Suneeta"), "सुनीता"),
    (("Anjali",), "अंजलि"),
    (("Pooja", "Puja"), "पूजा"),
    (("Kavita", "Kavitha"), "कविता"),
    (("Rekha",), "रेखा"),
    (("Lakshmi", "Laxmi"), "लक्ष्मी"),
    (("Shabnam",), "शबनम"),
    (("Geeta", "Gita"), "गीता"),
    (("Meena",), "मीना"),
    (("Sangeeta", "Sangita"), "संगीता"),
    (("Fatima",), "फ़ातिमा"),
)
INDIA_FAMILY: tuple[Part, ...] = (
    (("Sharma",), "शर्मा"),
    (("Verma", "Varma"), "वर्मा"),
    (("Singh",), "सिंह"),
    (("Kumari",), "कुमारी"),
    (("Devi",), "देवी"),
    (("Yadav",), "यादव"),
    (("Patel",), "पटेल"),
    (("Gupta",), "गुप्ता"),
)
QUEBEC_GIVEN: tuple[Part, ...] = (
    (("Marie-Ève", "Marie Eve"), ""),
    (("Geneviève", "Genevieve"), ""),
    (("Nathalie", "Natalie"), ""),
    (("Josée", "Josee"), ""),
    (("Catherine", "Katherine"), ""),
    (("Sophie", "Sofie"), ""),
)
QUEBEC_FAMILY: tuple[Part, ...] = (
    (("Tremblay",), ""),
    (("Gagnon",), ""),
    (("Côté", "Cote"), ""),
    (("Bélanger", "Belanger"), ""),
    (("Lévesque", "Levesque"), ""),
    (("Ouellet", "Ouellette"), ""),
)

# (given names, family names, how many people) per seed country; 60 people in all.
COUNTRIES: tuple[tuple[tuple[Part, ...], tuple[Part, ...], int], ...] = (
    (BANGLADESH_GIVEN, BANGLADESH_FAMILY, 15),
    (IRAN_GIVEN, IRAN_FAMILY, 15),
    (KAZAKHSTAN_GIVEN, KAZAKHSTAN_FAMILY, 12),
    (INDIA_GIVEN, INDIA_FAMILY, 12),
    (QUEBEC_GIVEN, QUEBEC_FAMILY, 6),
)


@dataclass(frozen=True)
class Person:
    """One synthetic person and every rendering of their name."""

    key: int
    renderings: tuple[str, ...]


def _renderings(given: Part, family: Part) -> tuple[str, ...]:
    """One rendering per Latin variant (variants paired by position) plus the native-script one."""
    latin_count = max(len(given[0]), len(family[0]))
    names = [f"{given[0][i % len(given[0])]} {family[0][i % len(family[0])]}" for i in range(latin_count)]
    if given[1] and family[1]:
        names.append(f"{given[1]} {family[1]}")
    # Identical renderings (e.g. "Fatemeh"/"Fatemeh") would be queries that test nothing.
    return tuple(dict.fromkeys(names))


def synthetic_people() -> list[Person]:
    """The synthetic register: given name i paired with family name (i * 3) mod n, per country."""
    people: list[Person] = []
    for given_names, family_names, count in COUNTRIES:
        for i in range(count):
            given = given_names[i % len(given_names)]
            family = family_names[(i * 3) % len(family_names)]
            people.append(Person(key=len(people), renderings=_renderings(given, family)))
    return people


@dataclass(frozen=True)
class Evaluation:
    """Figures from querying every non-stored rendering against the stored register."""

    queries: int
    candidate_recall: float  # the right person shares at least one search token
    recall_at_5: float  # the right person is in the top 5 of the ranked candidates
    precision_at_1: float  # the right person is ranked first
    mean_candidates: float  # how many stored people share a token with a query, on average


def _stored(person: Person, rotation: int) -> str:
    """The rendering a register stores for a person; rotating it makes every script the stored one."""
    return person.renderings[(person.key + rotation) % len(person.renderings)]


def _queries(people: list[Person], rotation: int) -> Iterator[tuple[Person, str]]:
    """Every rendering except the stored one, paired with the person it belongs to."""
    for person in people:
        for rendering in person.renderings:
            if rendering != _stored(person, rotation):
                yield person, rendering


def evaluate(people: list[Person], rotations: int = 4) -> Evaluation:
    """Store each person under one rendering and query with the others, for several rotations.

    With four rotations every rendering is the stored one once (people have at most four), so every
    ordered pair of renderings of a person is tried as (stored, query).
    """
    total = found = top5 = top1 = candidates_seen = 0
    seen: set[tuple[int, str, str]] = set()
    for rotation in range(rotations):
        stored = {p.key: _stored(p, rotation) for p in people}
        tokens = {key: search_tokens(name) for key, name in stored.items()}
        for person, query in _queries(people, rotation):
            if (person.key, stored[person.key], query) in seen:
                continue  # people with fewer renderings repeat pairs across rotations
            seen.add((person.key, stored[person.key], query))
            query_tokens = search_tokens(query)
            candidates = [(key, stored[key]) for key, toks in tokens.items() if toks & query_tokens]
            ranked = [m.key for m in rank(query, candidates, limit=5)]
            total += 1
            candidates_seen += len(candidates)
            found += any(key == person.key for key, _ in candidates)
            top5 += person.key in ranked
            top1 += bool(ranked) and ranked[0] == person.key
    return Evaluation(
        queries=total,
        candidate_recall=found / total,
        recall_at_5=top5 / total,
        precision_at_1=top1 / total,
        mean_candidates=candidates_seen / total,
    )
