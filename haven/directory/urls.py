from django.urls import path

from haven.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.provider_list, name="list"),
    path("new/", views.provider_create, name="create"),
    path("<uuid:provider_id>/", views.provider_detail, name="detail"),
    path("<uuid:provider_id>/edit/", views.provider_edit, name="edit"),
]
