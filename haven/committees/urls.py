from django.urls import path

from haven.committees import views

app_name = "committees"
urlpatterns = [
    path("", views.committee_list, name="list"),
    path("new/", views.committee_create, name="create"),
    path("<uuid:committee_id>/", views.committee_detail, name="detail"),
    path("<uuid:committee_id>/edit/", views.committee_edit, name="edit"),
    path("<uuid:committee_id>/members/new/", views.member_add, name="member_add"),
    path("<uuid:committee_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("members/<uuid:committee_member_id>/leave/", views.member_leave, name="member_leave"),
    path("meetings/<uuid:committee_meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:committee_meeting_id>/minutes/", views.minutes, name="minutes"),
    path("meetings/<uuid:committee_meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<uuid:committee_meeting_id>/cases/new/", views.table_case, name="table_case"),
    path("meetings/<uuid:committee_meeting_id>/decisions/new/", views.decision_add, name="decision_add"),
    path("meetings/<uuid:committee_meeting_id>/actions/new/", views.action_add, name="action_add"),
    path("actions/<uuid:committee_action_id>/done/", views.action_done, name="action_done"),
    path("actions/<uuid:committee_action_id>/drop/", views.action_drop, name="action_drop"),
    path("cases/<uuid:case_id>/table/", views.table_from_case, name="table_from_case"),
]
