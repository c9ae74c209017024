from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from haven.reports.projects import views

app_name = "report_projects"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<uuid:report_project_id>/", views.project_detail, name="project"),
    path("<uuid:report_project_id>/targets/", views.target_set, name="target_set"),
    path("<uuid:report_project_id>/report/", views.project_export, name="export"),
    path("targets/<uuid:project_target_id>/remove/", views.target_remove, name="target_remove"),
]
