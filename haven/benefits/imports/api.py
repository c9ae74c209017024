"""API for imports.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from ninja import Router

router = Router(tags=["imports"])
