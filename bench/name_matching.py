"""Cross-script name matching on the synthetic register: recall, precision, time and peak memory.

Run: .venv/bin/python bench/name_matching.py
The register (haven/people/synthetic.py) holds invented names, each written 2-4 ways (Latin variants,
Bengali, Persian, Cyrillic, Devanagari). Every rendering is stored once and queried with the others.
Baseline in the same run: exact comparison of the Latin transliterations (what a plain index would find).
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.test_settings")

import django

django.setup()

from haven.people.names import latin_tokens  # noqa: E402
from haven.people.synthetic import evaluate, synthetic_people  # noqa: E402


def _baseline_recall() -> float:
    """Share of (stored, query) pairs of the same person whose transliterations are exactly equal."""
    hits = total = 0
    for person in synthetic_people():
        for stored in person.renderings:
            for query in person.renderings:
                if query != stored:
                    total += 1
                    hits += latin_tokens(query) == latin_tokens(stored)
    return hits / total


def main() -> None:
    people = synthetic_people()
    tracemalloc.start()
    started = time.perf_counter()
    figures = evaluate(people)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = [
        ("people in the register", f"{len(people)}"),
        ("queries (stored, query) pairs", f"{figures.queries}"),
        ("candidate recall (shares a blind token)", f"{figures.candidate_recall:.3f}"),
        ("recall in top 5", f"{figures.recall_at_5:.3f}"),
        ("precision at 1 (right person first)", f"{figures.precision_at_1:.3f}"),
        ("mean candidates per query", f"{figures.mean_candidates:.1f}"),
        ("baseline: exact transliteration recall", f"{_baseline_recall():.3f}"),
        ("time for all queries", f"{elapsed * 1000:.0f} ms"),
        ("peak memory (tracemalloc)", f"{peak / 1024 / 1024:.1f} MiB"),
    ]
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
