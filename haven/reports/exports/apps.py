from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportExportsConfig(AppConfig):
    name = "haven.reports.exports"
    label = "report_exports"
    verbose_name = _("Report exports")
