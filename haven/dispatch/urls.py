from django.urls import path

from haven.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.board, name="board"),
    path("mine/", views.mine, name="mine"),
    path("cases/<uuid:case_id>/new/", views.create, name="create"),
    path("contacts/<uuid:contact_id>/new/", views.create_from_contact, name="create_from_contact"),
    path("<uuid:dispatch_id>/", views.detail, name="detail"),
    path("<uuid:dispatch_id>/team/", views.team, name="team"),
    path("<uuid:dispatch_id>/assign/", views.assign, name="assign"),
    path("<uuid:dispatch_id>/step/", views.step, name="step"),
    path("targets/", views.targets, name="targets"),
    path("targets/set/", views.target_set, name="target_set"),
    path("units/", views.units, name="units"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<uuid:unit_id>/", views.unit_detail, name="unit_detail"),
    path("units/<uuid:unit_id>/members/", views.unit_member_add, name="unit_member_add"),
    path("units/<uuid:unit_id>/members/remove/", views.unit_member_remove, name="unit_member_remove"),
    path("units/<uuid:unit_id>/status/", views.unit_status, name="unit_status"),
]
