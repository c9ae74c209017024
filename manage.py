#!/usr/bin/env python
"""Django's command-line utility for Haven; `haven` (the console command) does the same."""

from haven.__main__ import main

if __name__ == "__main__":
    main()
