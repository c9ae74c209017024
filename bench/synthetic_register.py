"""A large synthetic register for the person-search benchmark: invented people, deterministic per index.

No real person is described. Names combine common given and family names of the seed countries
(reusing haven/people/synthetic.py's hand-written parts, plus more common Bangladeshi parts below) with a
long tail of invented syllable names, so the register has both the huge candidate sets of names like
"Fatema Begum" or "Mohammad ... Hossain" and many rare names. Weights follow a Zipf-like curve: the first
part of each list is the most common.

Each person is a pure function of (seed, index): re-running the benchmark on a loaded database can rebuild
any person, and so check whether a search found the right one, without keeping a million rows in memory.
The index is kept in the low 64 bits of the person's UUID; the high bits are random, so B-tree order is
as scattered as with uuid4.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from haven.people.synthetic import (
    BANGLADESH_FAMILY,
    BANGLADESH_GIVEN,
    INDIA_FAMILY,
    INDIA_GIVEN,
    IRAN_FAMILY,
    IRAN_GIVEN,
    KAZAKHSTAN_FAMILY,
    KAZAKHSTAN_GIVEN,
    QUEBEC_FAMILY,
    QUEBEC_GIVEN,
    Part,
)

# More common Bangladeshi parts. Bengali spellings were checked to share a blind token with every Latin
# variant; "Parvin" (পারভীন) and "Biswas" (বিশ্বাস) do not (ভ/ব transliterate as bh/b, Latin writes v/w),
# so they are Latin-only here. The family list is led by the very common women's surnames.
_BD_WOMEN_FAMILY: tuple[Part, ...] = (
    (("Begum", "Begom"), "বেগম"),
    (("Akter", "Aktar"), "আক্তার"),
    (("Khatun", "Khatoon"), "খাতুন"),
    (("Bibi",), "বিবি"),
    (("Sultana",), "সুলতানা"),
    (("Nahar",), "নাহার"),
    (("Yasmin", "Yeasmin"), "ইয়াসমিন"),
    (("Khanam",), "খানম"),
    (("Parvin", "Parveen"), ""),
)
_BD_SHARED_FAMILY: tuple[Part, ...] = (
    *BANGLADESH_FAMILY[3:],
    (("Uddin",), "উদ্দিন"),
    (("Miah", "Mia"), "মিয়া"),
    (("Sheikh", "Shaikh"), "শেখ"),
    (("Mondal", "Mandal"), "মন্ডল"),
    (("Ahmed",), "আহমেদ"),
    (("Alam",), "আলম"),
    (("Das",), "দাস"),
    (("Roy",), "রায়"),
    (("Biswas",), ""),
)
_BD_WOMEN_GIVEN: tuple[Part, ...] = (
    *BANGLADESH_GIVEN,
    (("Nazma", "Najma"), "নাজমা"),
    (("Hasina",), "হাসিনা"),
    (("Shahnaz",), "শাহনাজ"),
    (("Rina",), "রিনা"),
    (("Ruma",), "রুমা"),
    (("Rupa",), "রূপা"),
    (("Tahmina",), "তাহমিনা"),
    (("Jesmin", "Jasmin"), "জেসমিন"),
    (("Halima",), "হালিমা"),
    (("Kulsum",), "কুলসুম"),
    (("Morjina", "Marjina"), "মর্জিনা"),
    (("Ayesha", "Aysha"), "আয়েশা"),
    (("Sharmin",), "শারমিন"),
    (("Laila", "Lyla"), "লাইলা"),
    (("Shefali",), "শেফালী"),
    (("Anowara", "Anwara"), "আনোয়ারা"),
    (("Bilkis",), "বিলকিস"),
    (("Rashida",), "রাশিদা"),
    (("Mahmuda",), "মাহমুদা"),
    (("Sabina",), "সাবিনা"),
    (("Lipi",), "লিপি"),
    (("Shilpi",), "শিল্পী"),
    (("Popy", "Popi"), "পপি"),
    (("Sumi",), "সুমি"),
)
_BD_MEN_GIVEN: tuple[Part, ...] = (
    (("Mohammad", "Muhammad", "Mohammed"), "মোহাম্মদ"),
    (("Abdul",), "আব্দুল"),
    (("Rahim",), "রহিম"),
    (("Karim",), "করিম"),
    (("Jamal",), "জামাল"),
    (("Kamal",), "কামাল"),
    (("Rafiq", "Rafik"), "রফিক"),
    (("Shahidul",), "শহিদুল"),
    (("Aminul",), "আমিনুল"),
    (("Nurul",), "নুরুল"),
    (("Abul",), "আবুল"),
    (("Ali",), "আলী"),
)

# Invented given names for the long tail (Latin only): two or three open syllables.
_SYLLABLES: tuple[str, ...] = (
    "ra",
    "mi",
    "sha",
    "na",
    "ta",
    "ri",
    "ju",
    "li",
    "ka",
    "ya",
    "bi",
    "ne",
    "so",
    "fa",
    "ru",
)
_SYLLABLES += ("hu", "zi", "pa", "lo", "me", "da", "gu", "tu", "ke", "vo", "sa", "jo", "ni", "be", "po")
_INVENTED: tuple[str, ...] = tuple(
    "".join(combo).capitalize() for length in (2, 3) for combo in itertools.product(_SYLLABLES, repeat=length)
)


@dataclass(frozen=True)
class Country:
    """Where a share of the register comes from; phone numbers are Bangladeshi for everyone (one org)."""

    code: str
    share: float
    women_given: tuple[Part, ...]
    men_given: tuple[Part, ...]
    family: tuple[Part, ...]
    women_family: tuple[Part, ...] = ()


COUNTRIES = (
    Country("BD", 0.60, _BD_WOMEN_GIVEN, _BD_MEN_GIVEN, _BD_SHARED_FAMILY, _BD_WOMEN_FAMILY),
    Country("IR", 0.12, IRAN_GIVEN, (), IRAN_FAMILY),
    Country("KZ", 0.10, KAZAKHSTAN_GIVEN, (), KAZAKHSTAN_FAMILY),
    Country("IN", 0.12, INDIA_GIVEN, (), INDIA_FAMILY),
    Country("QC", 0.06, QUEBEC_GIVEN, (), QUEBEC_FAMILY),
)
_MEN_SHARE = 0.15  # household members (sons, husbands) are registered too
_INVENTED_SHARE = 0.25  # chance a given name comes from the long tail instead of the common list
_PHONE_SHARE = 0.7
_ID_SHARE = 0.5
# Multipliers coprime to the modulus make index → number a bijection, so numbers are unique.
_PHONE_MULTIPLIER = 7_919_111
_ID_MULTIPLIER = 104_729_003


@dataclass(frozen=True)
class SyntheticPerson:
    """One person as the register stores her, plus every way her name can be written."""

    index: int
    id: uuid.UUID
    country: str
    name: str  # as stored: native script or Latin
    latin_name: str  # "" unless the stored name is native and a Latin spelling was recorded too
    native: str  # her name in native script, "" if the country writes Latin or a part has no spelling
    latin_variants: tuple[str, ...]  # Latin spellings of her name, one per combination of variants
    phone: str  # local form, "" if none recorded
    id_number: str
    sex: str

    @property
    def native_only(self) -> bool:
        """Stored in native script with no Latin spelling: a Latin search must cross scripts."""
        return bool(self.native) and self.name == self.native and not self.latin_name


def index_of(person_id: uuid.UUID) -> int:
    """The register index kept in a person's UUID (see the module docstring)."""
    return person_id.int & (2**64 - 1)


def _zipf(rng: random.Random, parts: Sequence[Part]) -> Part:
    """A part, the i-th one with weight 1/(i+1): a few names are very common, most are not."""
    weights = [1 / (i + 1) for i in range(len(parts))]
    return rng.choices(parts, weights=weights)[0]


def _country(rng: random.Random) -> Country:
    return rng.choices(COUNTRIES, weights=[c.share for c in COUNTRIES])[0]


def _name_parts(rng: random.Random, country: Country, male: bool) -> list[Part]:
    given_list = country.men_given if male else country.women_given
    given = _zipf(rng, given_list)
    if rng.random() < _INVENTED_SHARE:
        given = ((rng.choice(_INVENTED),), "")
    family_list = country.women_family if country.women_family and not male else country.family
    parts = [given, _zipf(rng, family_list)]
    if country.code == "BD" and rng.random() < 0.3:
        # Three-part names: "Mohammad Abdul Karim", "Fatema Akter Khatun"; never a part twice.
        middle_list = [p for p in (country.men_given if male else country.women_family) if p not in parts]
        parts.insert(1, _zipf(rng, middle_list))
    return parts


def _renderings(parts: list[Part]) -> tuple[tuple[str, ...], str]:
    latin = tuple(dict.fromkeys(" ".join(combo) for combo in itertools.product(*(p[0] for p in parts))))
    native = " ".join(p[1] for p in parts) if all(p[1] for p in parts) else ""
    return latin, native


def person(seed: int, index: int) -> SyntheticPerson:
    """The index-th person of the register drawn with ``seed``."""
    rng = random.Random(seed * 1_000_003 + index)  # noqa: S311 (synthetic data, not secrets)
    country = _country(rng)
    male = bool(country.men_given) and rng.random() < _MEN_SHARE
    latin, native = _renderings(_name_parts(rng, country, male))
    stored_latin = rng.choice(latin)
    style = rng.random()
    if native and style < 0.45:
        name, latin_name = native, ""  # written in her script only
    elif native and style < 0.65:
        name, latin_name = native, stored_latin
    else:
        name, latin_name = stored_latin, ""
    if country.code == "BD" and name == stored_latin and rng.random() < 0.3:
        name = f"{'Md.' if male else 'Mst.'} {name}"  # the title prefix of Bangladeshi records
    phone = ""
    if rng.random() < _PHONE_SHARE:
        number = (index * _PHONE_MULTIPLIER) % 10**8
        phone = f"01{3 + index % 7}{number:08d}"
    id_number = f"{(index * _ID_MULTIPLIER) % 10**10:010d}" if rng.random() < _ID_SHARE else ""
    return SyntheticPerson(
        index=index,
        id=uuid.UUID(int=(rng.getrandbits(64) << 64) | index),
        country=country.code,
        name=name,
        latin_name=latin_name,
        native=native,
        latin_variants=latin,
        phone=phone,
        id_number=id_number,
        sex="MALE" if male else "FEMALE",
    )
