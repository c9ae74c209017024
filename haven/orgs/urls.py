from django.urls import path

from haven.orgs import views

app_name = "orgs"
urlpatterns = [
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<uuid:site_id>/", views.site_detail, name="site_detail"),
    path("sites/<uuid:site_id>/edit/", views.site_edit, name="site_edit"),
    path("areas/", views.area_list, name="area_list"),
    path("areas/new/", views.area_create, name="area_create"),
    path("areas/<uuid:area_id>/edit/", views.area_edit, name="area_edit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:membership_id>/", views.staff_edit, name="staff_edit"),
    path("settings/", views.org_settings, name="settings"),
    path("settings/rotate-keys/", views.rotate_keys, name="rotate_keys"),
]
