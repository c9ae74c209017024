from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "report_sharing"

urlpatterns: list[URLPattern | URLResolver] = []
