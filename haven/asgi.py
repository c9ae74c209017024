"""ASGI entry point. Refuses to start without a usable master key rather than run unencrypted."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
application = get_asgi_application()

from haven.privacy.keyring import read_master_key  # noqa: E402

read_master_key()
