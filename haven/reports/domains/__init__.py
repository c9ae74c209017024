"""The indicators and reports of each part of Haven, one module per domain.

Each module registers its indicators (``indicators.register``) and reports (``register_report``) when
imported; ``ReportsConfig.ready`` imports them all, in this order.
"""

from __future__ import annotations

DOMAIN_MODULES: tuple[str, ...] = (
    "haven.reports.domains.gbvims",
    "haven.reports.domains.osc",
    "haven.reports.domains.hotline",
    "haven.reports.domains.shelters",
    "haven.reports.domains.services",
    "haven.reports.domains.programmes",
)
