from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "report_public"

urlpatterns: list[URLPattern | URLResolver] = []
