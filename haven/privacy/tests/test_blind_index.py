"""Blind indexes: equal values under one organisation match; nothing matches across organisations."""

from __future__ import annotations

import pytest

from haven.conftest import World
from haven.privacy.blind import (
    NormalisationError,
    identifier_index,
    normalise_identifier,
    normalise_phone,
    phone_index,
)


def test_it_matches_the_same_phone_written_differently(world: World) -> None:
    local = phone_index(world.org.pk, "01711-000000", "BD")
    international = phone_index(world.org.pk, "+880 1711 000000", "BD")
    bengali_digits = phone_index(world.org.pk, "০১৭১১-০০০০০০", "BD")
    assert local == international == bengali_digits
    assert len(local) == 64 and "1711" not in local


def test_it_gives_other_organisations_other_indexes(world: World) -> None:
    assert phone_index(world.org.pk, "+8801711000000", "BD") != phone_index(
        world.other_org.pk, "+8801711000000", "BD"
    )


def test_it_separates_kinds(world: World) -> None:
    assert identifier_index(world.org.pk, "nid", "1234567890") != identifier_index(
        world.org.pk, "birth", "1234567890"
    )


def test_it_normalises_identifiers() -> None:
    assert normalise_identifier(" ab-12 34 ") == "AB1234"
    assert normalise_identifier("۱۲۳-۴۵") == "12345"
    with pytest.raises(NormalisationError):
        normalise_identifier(" - ")


def test_it_rejects_what_is_not_a_phone_number() -> None:
    with pytest.raises(NormalisationError):
        normalise_phone("not a number", "CA")
    with pytest.raises(NormalisationError):
        normalise_phone("12", "CA")
