"""A system check that stops `runserver`, `migrate` and friends when there is no usable master key."""

from typing import Any

from django.core import checks

from haven.privacy.keyring import MasterKeyError, read_master_key


@checks.register(checks.Tags.security)
def master_key_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        read_master_key()
    except MasterKeyError as exc:
        return [checks.Critical(str(exc), id="haven.E001")]
    return []
