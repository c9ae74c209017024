"""The register's blind indexes each have one plain index: exact look-ups only, written once per change."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pattern-matching indexes are PostgreSQL's"),
]


def _index_definitions(column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'people_person' AND indexdef LIKE %s",
            [f"%({column}%"],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("column", ["phone_index", "id_number_index"])
def test_each_blind_index_has_one_plain_index(column: str) -> None:
    definitions = _index_definitions(column)
    assert len(definitions) == 1, definitions
    assert "pattern_ops" not in definitions[0]
