"""Care pages of a case, included into the "cases" namespace by haven/cases/urls.py."""

from django.urls import path

from haven.cases import care_views as views

urlpatterns = [
    path("<uuid:case_id>/services/", views.services, name="services"),
    path("<uuid:case_id>/services/new/", views.record_service, name="record_service"),
    path("services/<uuid:service_id>/change/", views.change_service, name="change_service"),
    path("<uuid:case_id>/needs/new/", views.assess_needs, name="assess_needs"),
    path("<uuid:case_id>/plan/goals/new/", views.add_goal, name="add_goal"),
    path("goals/<uuid:goal_id>/progress/", views.record_progress, name="record_progress"),
    path("plans/<uuid:plan_id>/decision/", views.plan_decision, name="plan_decision"),
    path("<uuid:case_id>/appointments/new/", views.schedule_appointment, name="schedule_appointment"),
    path("<uuid:case_id>/meetings/new/", views.log_meeting, name="log_meeting"),
    path(
        "appointments/<uuid:appointment_id>/conclude/",
        views.conclude_appointment,
        name="conclude_appointment",
    ),
    path("<uuid:case_id>/notes/new/", views.write_note, name="write_note"),
]
