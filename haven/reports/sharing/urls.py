from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from haven.reports.sharing import views

app_name = "report_sharing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("networks/new/", views.network_create, name="network_create"),
    path("networks/<uuid:network_id>/", views.network_detail, name="network"),
    path("networks/<uuid:network_id>/invite/", views.invite, name="invite"),
    path("networks/<uuid:network_id>/prepare/", views.prepare, name="prepare"),
    path("networks/<uuid:network_id>/consolidate/", views.consolidate, name="consolidate"),
    path("invitations/<uuid:invitation_id>/accept/", views.accept, name="accept"),
    path("submissions/<uuid:submission_id>/", views.submission_detail, name="submission"),
    path("submissions/<uuid:submission_id>/approve/", views.approve, name="approve"),
    path("consolidated/<uuid:consolidated_id>/", views.consolidated_detail, name="consolidated"),
]
