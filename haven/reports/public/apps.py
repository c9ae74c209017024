from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportPublicConfig(AppConfig):
    name = "haven.reports.public"
    label = "report_public"
    verbose_name = _("Public figures")
