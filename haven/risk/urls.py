from django.urls import path

from haven.risk import config_views, pdf_views, views

app_name = "risk"
urlpatterns = [
    path("cases/<uuid:case_id>/screen/<slug:instrument>/", views.screen, name="screen"),
    path("contacts/<uuid:contact_id>/screen/<slug:instrument>/", views.screen_contact, name="screen_contact"),
    path("cases/<uuid:case_id>/safety-plan/", views.safety_plan, name="safety_plan"),
    path("cases/<uuid:case_id>/safety-plan/print/", views.safety_plan_print, name="safety_plan_print"),
    path("cases/<uuid:case_id>/safety-plan/pdf/", pdf_views.safety_plan_pdf, name="safety_plan_pdf"),
    path("assessments/<uuid:assessment_id>/", views.detail, name="detail"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<uuid:escalation_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("escalation-rules/", config_views.rules, name="rules"),
    path("escalation-rules/new/<slug:instrument>/", config_views.rule_create, name="rule_create"),
    path("escalation-rules/<uuid:rule_id>/", config_views.rule_change, name="rule_change"),
    path("escalation-rules/<uuid:rule_id>/active/", config_views.rule_active, name="rule_active"),
    path("scoring-sheets/", config_views.sheets, name="sheets"),
    path("scoring-sheets/<slug:sheet_instrument>/new/", config_views.sheet_load, name="sheet_load"),
]
