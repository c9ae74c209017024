from __future__ import annotations

import pytest

from haven.conftest import World


@pytest.fixture(autouse=True)
def _bangladesh_numbers(request: pytest.FixtureRequest) -> None:
    """People tests write phone numbers as a Bangladesh district office would: local, without +880."""
    if "world" in request.fixturenames:
        world: World = request.getfixturevalue("world")
        world.org.country = "BD"
        world.org.save(update_fields=["country"])
