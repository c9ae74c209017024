from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportProjectsConfig(AppConfig):
    name = "haven.reports.projects"
    label = "report_projects"
    verbose_name = _("Donor projects")
