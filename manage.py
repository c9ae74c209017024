#!/usr/bin/env python
"""Django's command-line utility for a developer's checkout (haven.dev_settings unless told otherwise).

In production use the `haven` command, which reads haven.settings and requires every secret to be set.
"""

import os

from haven.__main__ import main

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.dev_settings")
    main()
