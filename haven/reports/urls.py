from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from haven.reports import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<str:report_code>/", views.report_page, name="report"),
]
