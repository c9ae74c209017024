"""Name matching without plaintext: tokens for blind indexes, and ranking of decrypted candidates.

Pipeline (DESIGN.md): normalise → transliterate to Latin (anyascii) → per token a consonant skeleton and
a coarser phonetic key → HMAC each token. Candidates found by token overlap are decrypted by the caller
and ranked here with rapidfuzz.

Rules this module keeps:
- Everything is computed per token on lowercase ASCII letters; a name is a bag of tokens, in any order.
- Abjad scripts (Persian/Arabic) do not write short vowels, so skeletons drop vowels; one marker ``a``
  is kept when the token starts with a vowel, so "Amina" and "Mina" stay apart.
- Transliteration variants that the seed languages (Bengali, Persian, Hindi, Russian, Kazakh, French)
  produce for the same sound fall into one skeleton class; see ``_DIGRAPHS`` and ``_LETTERS``.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from anyascii import anyascii
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from haven.privacy.blind import blind_index

K = TypeVar("K")

# Separators inside a name that mean "new token": whitespace, hyphens, apostrophes, dots, commas.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—'’‘`ʼ.·_,/]+")

# Characters that only shape writing inside a word and are removed, not made separators: Arabic tatweel
# (a stretching stroke: "فاطـــمه" is one word), ZWJ (Indic half-forms) and ZWNJ. Persian puts ZWNJ
# between the parts of one word ("ملک‌زاده"), which Latin spells as one token ("Malekzadeh"), so
# joining the parts matches better than splitting them.
_JOINERS = re.compile("[\u0640\u200c\u200d]")

# Marks without meaning for identity that NFD/combining-class stripping does not catch: Bengali and
# Devanagari chandrabindu (nasalisation) and visarga (the ':' of the "মোঃ" abbreviation).
_DROPPED_CHARS = frozenset("\u0981\u0983\u0901\u0903")

# Per-character transliteration before anyascii, where anyascii's generic choice splits names that
# speakers of the seed languages say alike. Arabic-script letters follow Persian pronunciation (Iran is
# the seed country): ث/ص → s, ذ/ض/ظ → z, ع and alef → a (so "علی" starts with a vowel like "Ali"),
# and ق → gh, which is how Iranians romanise it ("Sadeghi", "Roghayeh").
# Bengali/Devanagari চ/च are "ch" (anyascii gives bare "c", which Latin spellings read as k), and the
# anusvara is "n" as in "Sangita".
_PRE_TRANSLIT = {
    "ا": "a",
    "أ": "a",
    "إ": "a",
    "آ": "a",
    "ع": "a",
    "ث": "s",
    "ذ": "z",
    "ض": "z",
    "ظ": "z",
    "ح": "h",
    "ق": "gh",
    "ة": "h",
    "চ": "ch",
    "च": "ch",
    "ং": "n",
    "ं": "n",
}

# Tokens that are titles or abbreviations rather than names. Bangladeshi records often prefix "Md."
# (men) and "Mst."/"Mosammat" (women); Persian records may prefix "Seyyed"/"Haj". They are dropped
# because they match half the register and swamp candidate lists. Full "Mohammad"/"Muhammad" is kept:
# it is a real given name, and dropping it would make "Mohammad Ali" and "Ali" indistinguishable.
_PARTICLES = frozenset(
    {
        "md",
        "mohd",
        "moh",
        "mst",
        "most",
        "mosammat",
        "mosammot",
        "mossammat",
        "mosamat",
        "mosammt",
        "mocha",
        "mochammt",
        "mo",
        "mrs",
        "mr",
        "ms",
        "mme",
        "dr",
        "seyyed",
        "seyed",
        "sayyed",
        "haj",
        "haji",
    }
)

_VOWELS = frozenset("aeiouy")

# Digraphs, longest first, mapped to one skeleton class letter. "kh" joins h because Russian kha renders
# both Arabic ح and خ ("Мухаммед" ~ "Mohammad"); Indic aspirates (bh, dh, th, jh) join their plain stop;
# gh (Persian غ, Kazakh ғ) joins g; sh/shch/ts join s because anyascii gives Bengali শ and Devanagari श
# as plain "s"; dzh/dj/zh join j with z because Bengali and Kazakh speakers write one for the other.
_DIGRAPHS = (
    ("shch", "s"),
    ("dzh", "j"),
    ("tch", "c"),
    ("sch", "s"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("sh", "s"),
    ("ch", "c"),
    ("th", "t"),
    ("dh", "d"),
    ("bh", "b"),
    ("jh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("dz", "j"),
    ("ck", "k"),
    ("ts", "s"),
)

# Single letters: q (Persian ق, Kazakh қ) is k; w and v are one class (Persian و, Cyrillic в); z is j.
_LETTERS = {"q": "k", "w": "v", "z": "j", "x": "ks"}

# Phonetic key classes: coarser than the skeleton (voicing pairs merge, ch merges with s) and h/v are
# dropped, because Persian vav and heh are sometimes vowels and sometimes consonants.
_PHONETIC = {"p": "b", "d": "t", "g": "k", "c": "s", "h": "", "v": ""}
_PHONETIC_LENGTH = 4


def normalise(name: str) -> str:
    """NFKC, casefold, strip combining marks, remove joiners, turn separators into spaces, collapse spaces.

    Marks stripped are those with a non-zero combining class: Latin/Cyrillic accents, Arabic harakat,
    the Indic nukta (फ़ → फ) and virama/hasanta. Indic vowel signs have class 0 and are kept, since
    anyascii needs them to spell vowels.
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch not in _DROPPED_CHARS)
    text = _JOINERS.sub("", unicodedata.normalize("NFC", kept))
    return " ".join(_SEPARATORS.sub(" ", text).split())


def _transliterate(token: str) -> str:
    """Latin lowercase letters only for one normalised token (digits and symbols are dropped)."""
    # An anusvara before h is said "ng" ("सिंह" is "Singh"), not the plain "n" of "Sangita".
    token = token.replace("ंह", "ngh").replace("ংহ", "ngh")
    prepared = "".join(_PRE_TRANSLIT.get(ch, ch) for ch in token)
    latin = anyascii(prepared).lower()
    return "".join(ch for ch in latin if "a" <= ch <= "z")


def latin_tokens(name: str) -> list[str]:
    """The name's tokens in Latin letters, in order, without empty tokens and title particles.

    Particles (see ``_PARTICLES``) are only dropped when a real token remains, so a record whose whole
    name is "Md" still has something to match.
    """
    tokens = [t for t in (_transliterate(raw) for raw in normalise(name).split()) if t]
    named = [t for t in tokens if t not in _PARTICLES]
    return named or tokens


# One unit per match: the first digraph (in _DIGRAPHS order) that starts here, else one letter. Regex
# alternation tries alternatives in order, so this is the same rule as trying the digraphs one by one,
# several times faster (ranking a large candidate set calls it for every token).
_UNITS = re.compile("|".join(digraph for digraph, _cls in _DIGRAPHS) + "|.", re.DOTALL)
_DIGRAPH_CLASS = dict(_DIGRAPHS)


def _classes(token: str) -> str:
    """Map a Latin token to skeleton class letters, vowels still in place."""
    out: list[str] = []
    for unit in _UNITS.finditer(token):
        text = unit.group()
        if text in _DIGRAPH_CLASS:
            out.append(_DIGRAPH_CLASS[text])
            continue
        if text == "c":
            # French/Latin c is s before a front vowel ("Cécile"), k elsewhere ("Catherine").
            text = "s" if token[unit.end() : unit.end() + 1] in ("e", "i", "y") else "k"
        out.append(_LETTERS.get(text, text))
    return "".join(out)


def _collapse(text: str) -> str:
    """Collapse runs of the same letter ("mm" → "m")."""
    return re.sub(r"(.)\1+", r"\1", text)


def skeleton(token: str) -> str:
    """Consonant skeleton of one Latin token.

    Rules: digraphs and equivalent letters map to one class; a final h is dropped (Persian heh and Latin
    "-eh"/"-ah" endings are vowels); vowels are dropped, but a leading vowel becomes the marker "a";
    runs of one class collapse ("Mohammad" → "mhmd", "Rokaiya" → "rk").
    """
    classes = _classes(token.lower())
    if len(classes) > 1 and classes.endswith("h"):
        classes = classes[:-1]
    if not classes:
        return ""
    marker = "a" if classes[0] in _VOWELS else ""
    consonants = "".join(ch for ch in classes if ch not in _VOWELS)
    return marker + _collapse(consonants)


def phonetic_key(token: str) -> str:
    """A coarser key than the skeleton, to raise recall.

    Rules: start from the skeleton, merge voicing pairs (b/p, d/t, g/k) and c with s, drop h and v,
    collapse runs again, and keep the first four letters.
    """
    return _phonetic_of_skeleton(skeleton(token))


def _phonetic_of_skeleton(skel: str) -> str:
    coarse = "".join(_PHONETIC.get(ch, ch) for ch in skel)
    return _collapse(coarse)[:_PHONETIC_LENGTH]


def search_tokens(name: str) -> set[str]:
    """Plain tokens to blind-index for a name: "s:" skeleton, "p:" phonetic key, "f:" full Latin token.

    Empty keys are left out, so a name with no letters indexes nothing.
    """
    tokens: set[str] = set()
    for latin in latin_tokens(name):
        tokens.add(f"f:{latin}")
        if skel := skeleton(latin):
            tokens.add(f"s:{skel}")
        if key := phonetic_key(latin):
            tokens.add(f"p:{key}")
    return tokens


def blind_name_tokens(org_id: uuid.UUID, name: str) -> set[str]:
    """The organisation's blind indexes (HMACs) of ``search_tokens(name)``, kind "name"."""
    return {blind_index(org_id, "name", token) for token in search_tokens(name)}


def blind_word_tokens(org_id: uuid.UUID, name: str) -> list[str]:
    """One blind index per distinct word of the name: its coarsest search token, in the name's order.

    Sharing any search token of a word implies sharing its coarsest one (equal spelling gives an equal
    skeleton, an equal skeleton an equal phonetic key), so "has this token" means "matches this word".
    The phonetic key is the coarsest; a word whose key is empty falls back to its skeleton, then spelling.
    """
    coarsest: list[str] = []
    for latin in dict.fromkeys(latin_tokens(name)):
        skel = skeleton(latin)
        key = _phonetic_of_skeleton(skel)
        coarsest.append(f"p:{key}" if key else f"s:{skel}" if skel else f"f:{latin}")
    return [blind_index(org_id, "name", token) for token in dict.fromkeys(coarsest)]


@dataclass(frozen=True)
class MatchReason:
    """Why one query token matched one candidate token; ``kind`` is spelling/skeleton/phonetic/similar."""

    kind: str
    query_token: str
    candidate_token: str
    score: float

    def __str__(self) -> str:
        labels = {
            "spelling": _("same spelling: %(query)s ~ %(candidate)s"),
            "skeleton": _("same consonants: %(query)s ~ %(candidate)s"),
            "phonetic": _("sounds alike: %(query)s ~ %(candidate)s"),
            "similar": _("similar spelling: %(query)s ~ %(candidate)s"),
        }
        return labels[self.kind] % {"query": self.query_token, "candidate": self.candidate_token}


@dataclass(frozen=True)
class Match(Generic[K]):
    """One ranked candidate: the caller's key, the decrypted name, a 0-100 score and the reasons."""

    key: K
    name: str
    score: float
    reasons: tuple[MatchReason, ...]


# Scores given to a token pair by its strongest kind of agreement. A shared skeleton is nearly as good
# as equal spelling, since it is exactly what differs between scripts; a shared phonetic key less so.
_SKELETON_SCORE = 95.0
_PHONETIC_SCORE = 85.0
# Below this, a token pair is not reported as a reason.
_REASON_THRESHOLD = 70.0
# Weight of query coverage (each query token finds a partner) against candidate coverage (each
# candidate token is explained): a query is usually shorter than the stored name.
_QUERY_WEIGHT = 0.75


@dataclass(frozen=True)
class _Keyed:
    """A Latin token with its skeleton and phonetic key, computed once per ranking."""

    token: str
    skeleton: str
    phonetic: str


def _keyed(token: str, memo: dict[str, _Keyed]) -> _Keyed:
    found = memo.get(token)
    if found is None:
        skel = skeleton(token)
        found = memo[token] = _Keyed(token, skel, _phonetic_of_skeleton(skel))
    return found


def _pair(query: _Keyed, candidate: _Keyed) -> MatchReason:
    """Best kind of agreement between two Latin tokens, with its score."""
    if query.token == candidate.token:
        return MatchReason("spelling", query.token, candidate.token, 100.0)
    if query.skeleton and query.skeleton == candidate.skeleton:
        return MatchReason("skeleton", query.token, candidate.token, _SKELETON_SCORE)
    if query.phonetic and query.phonetic == candidate.phonetic:
        return MatchReason("phonetic", query.token, candidate.token, _PHONETIC_SCORE)
    # Fuzzy fallback: the better of the spelling and skeleton similarity, skeleton slightly discounted.
    similar = max(
        fuzz.ratio(query.token, candidate.token), 0.9 * fuzz.ratio(query.skeleton, candidate.skeleton)
    )
    return MatchReason("similar", query.token, candidate.token, float(similar))


def _best_pairs(left: list[_Keyed], right: list[_Keyed]) -> list[MatchReason]:
    """For each token on the left, its best partner on the right (a zero-score pair if none)."""
    best: list[MatchReason] = []
    for token in left:
        pairs = [_pair(token, other) for other in right]
        best.append(max(pairs, key=lambda p: p.score, default=MatchReason("similar", token.token, "", 0.0)))
    return best


def score_names(query: list[str], candidate: list[str]) -> tuple[float, tuple[MatchReason, ...]]:
    """Score two names given as Latin tokens: weighted mean of best token pairs in both directions."""
    memo: dict[str, _Keyed] = {}
    return _score_keyed([_keyed(t, memo) for t in query], [_keyed(t, memo) for t in candidate])


def _score_keyed(query: list[_Keyed], candidate: list[_Keyed]) -> tuple[float, tuple[MatchReason, ...]]:
    if not query or not candidate:
        return 0.0, ()
    forward = _best_pairs(query, candidate)
    backward = _best_pairs(candidate, query)
    query_cover = sum(p.score for p in forward) / len(forward)
    candidate_cover = sum(p.score for p in backward) / len(backward)
    score = _QUERY_WEIGHT * query_cover + (1 - _QUERY_WEIGHT) * candidate_cover
    reasons = tuple(p for p in forward if p.score >= _REASON_THRESHOLD)
    return round(score, 1), reasons


def rank(query: str, candidates: Iterable[tuple[K, str]], limit: int = 5) -> list[Match[K]]:
    """The ``limit`` best candidates for ``query``, best first; ties keep the candidates' order.

    Candidates are (key, decrypted name) pairs. Candidates scoring 0 are left out. Large candidate sets
    are mostly namesakes, so each distinct name is scored once and each token keyed once; those memos
    live only for this call, so no decrypted name outlives the search in a cache.
    """
    memo: dict[str, _Keyed] = {}
    query_tokens = [_keyed(t, memo) for t in latin_tokens(query)]
    scored: dict[str, tuple[float, tuple[MatchReason, ...]]] = {}
    matches: list[Match[K]] = []
    for key, name in candidates:
        if name not in scored:
            scored[name] = _score_keyed(query_tokens, [_keyed(t, memo) for t in latin_tokens(name)])
        score, reasons = scored[name]
        if score > 0:
            matches.append(Match(key=key, name=name, score=score, reasons=reasons))
    matches.sort(key=lambda m: m.score, reverse=True)
    return matches[:limit]
