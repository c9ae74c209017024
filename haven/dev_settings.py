"""Settings for a developer's checkout, used by manage.py: debug on, keys in the git-ignored var/ folder.

The `haven` command and the WSGI/ASGI entry points use haven.settings, which has no such defaults.
"""

import os
from pathlib import Path

_VAR = Path(os.environ.get("HAVEN_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
_MASTER_KEY = _VAR / "master.key"

os.environ.setdefault("HAVEN_DEBUG", "1")
os.environ.setdefault("HAVEN_VAR_DIR", str(_VAR))
if not os.environ.get("HAVEN_MASTER_KEY") and not os.environ.get("HAVEN_MASTER_KEY_FILE"):
    if not _MASTER_KEY.exists():
        import base64
        import secrets

        _VAR.mkdir(parents=True, exist_ok=True)
        _MASTER_KEY.touch(mode=0o600)
        _MASTER_KEY.write_text(base64.b64encode(secrets.token_bytes(32)).decode() + "\n", encoding="ascii")
    os.environ["HAVEN_MASTER_KEY_FILE"] = str(_MASTER_KEY)

from haven.settings import *  # noqa: E402,F403
