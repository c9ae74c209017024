"""`python -m haven.faults.tests.worker [db_worker options]`: Haven's task worker, counting its work.

It registers one more inbound handler, which writes a row to `faults_processed` for every event it is
handed, in the transaction that marks the event processed. A committed row is therefore one completed
processing: two rows for an event mean it was processed twice, none that it never was. The test that
starts this worker creates and drops the table.
"""

from __future__ import annotations

import sys
from typing import Any

PROCESSED_TABLE = """
CREATE TABLE IF NOT EXISTS faults_processed (
    id bigserial PRIMARY KEY, event_id uuid NOT NULL, channel_id uuid NOT NULL,
    provider_message_id varchar(200) NOT NULL
)
"""


def record_processing(event: Any) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO faults_processed (event_id, channel_id, provider_message_id) VALUES (%s, %s, %s)",
            [event.pk, event.channel_id, event.provider_message_id],
        )


def main(argv: list[str]) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    from haven.channels.handlers import register_inbound_handler

    register_inbound_handler(record_processing)
    call_command("db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1", *argv)


if __name__ == "__main__":
    main(sys.argv[1:])
