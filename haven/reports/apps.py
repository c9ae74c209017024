from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "haven.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Each domain registers its indicators and reports when imported; the order matters only in
        # that a report may name indicators of an earlier domain.
        from haven.reports.domains import DOMAIN_MODULES

        for module in DOMAIN_MODULES:
            import_module(module)
