from django.urls import path

from haven.benefits.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("template.csv", views.template_csv, name="template_csv"),
    path("template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("<uuid:import_job_id>/", views.job_detail, name="detail"),
    path("<uuid:import_job_id>/progress/", views.job_progress, name="progress"),
    path("<uuid:import_job_id>/errors.csv", views.job_errors, name="errors"),
]
