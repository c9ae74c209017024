from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from haven.reports.exports import views

app_name = "report_exports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("report/", views.report_file, name="report"),
    path("records/", views.records, name="records"),
    path("records/<uuid:record_export_id>/", views.record_detail, name="record"),
    path("records/<uuid:record_export_id>/progress/", views.record_progress, name="record_progress"),
    path("records/<uuid:record_export_id>/download/", views.record_download, name="record_download"),
]
