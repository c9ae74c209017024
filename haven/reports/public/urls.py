from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from haven.reports.public import views

app_name = "report_public"

# Two segments, so an organisation whose short name is "manage" still has its page at <slug>/.
urlpatterns: list[URLPattern | URLResolver] = [
    path("manage/settings/", views.page_settings, name="settings"),
    path("<slug:org_slug>/", views.figures, name="figures"),
]
