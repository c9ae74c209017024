"""Audit codes of the privacy core."""

from haven.privacy import audit

KEYS_ROTATION_START = audit.register_action("keys.rotation_start", "A new data key version was created")
KEYS_ROTATION_FINISH = audit.register_action("keys.rotation_finish", "Old data keys were retired")
KEYS_REWRAP = audit.register_action("keys.rewrap", "Data keys were re-wrapped under a new master key")
