from django.urls import path

from haven.risk import views

app_name = "risk"
urlpatterns = [
    path("cases/<uuid:case_id>/screen/<slug:instrument>/", views.screen, name="screen"),
    path("contacts/<uuid:contact_id>/screen/<slug:instrument>/", views.screen_contact, name="screen_contact"),
    path("cases/<uuid:case_id>/safety-plan/", views.safety_plan, name="safety_plan"),
    path("cases/<uuid:case_id>/safety-plan/print/", views.safety_plan_print, name="safety_plan_print"),
    path("assessments/<uuid:assessment_id>/", views.detail, name="detail"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<uuid:escalation_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
