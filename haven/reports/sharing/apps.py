from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportSharingConfig(AppConfig):
    name = "haven.reports.sharing"
    label = "report_sharing"
    verbose_name = _("Consolidated statistics")
