"""The programme's free text must not point at a survivor's file.

There is no field that links a participant to a survivor; this closes the back door of typing the link
into a name, a note or a summary. A survivor code (`S-7KQ2-M9XD`, the shape `haven/people` gives them),
a legal matter's reference (`L-2026-0007`) or a record identifier (a UUID: how cases, contacts and
dispatches are named in Haven's addresses) is refused with a reason. The shapes are matched here rather
than imported: this app imports nothing from the survivor side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Crockford's alphabet (no I, L, O, U) is what people's codes use; any letter is matched so that a code
# typed with a misread letter is still caught. The hyphen after "S" keeps ordinary words out.
SURVIVOR_CODE = re.compile(r"(?<![0-9A-Z])S-[0-9A-Z]{4}-?[0-9A-Z]{4}(?![0-9A-Z])", re.IGNORECASE)
MATTER_REFERENCE = re.compile(r"(?<![0-9A-Z])L-\d{4}-\d{3,}(?![0-9])", re.IGNORECASE)
RECORD_ID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)
PATTERNS = (SURVIVOR_CODE, MATTER_REFERENCE, RECORD_ID)


def points_at_survivor(text: str) -> bool:
    return any(pattern.search(text) for pattern in PATTERNS)


def refusal() -> str:
    return _(
        "The perpetrator programme is kept apart from survivors' files: remove the survivor code, case or "
        "file reference. Write about him and his work in the programme, without linking to anyone's file."
    )


def refuse_survivor_references(texts: Mapping[str, str]) -> None:
    """Raise a ValidationError naming every field whose text points at a survivor's file."""
    errors = {field: refusal() for field, text in texts.items() if text and points_at_survivor(text)}
    if errors:
        raise ValidationError(errors)
