from django.urls import path

from haven.supporters import views

app_name = "supporters"
urlpatterns = [
    path("", views.supporter_list, name="list"),
    path("new/", views.supporter_create, name="create"),
    path("projects/", views.project_list, name="projects"),
    path("totals/", views.totals, name="totals"),
    path("<uuid:supporter_id>/", views.supporter_detail, name="detail"),
    path("<uuid:supporter_id>/edit/", views.supporter_edit, name="edit"),
    path("<uuid:supporter_id>/donations/new/", views.donation_create, name="donation_create"),
    path("<uuid:supporter_id>/projects/new/", views.project_create, name="project_create"),
    path("donations/<uuid:donation_id>/value/", views.donation_value, name="donation_value"),
    path("donations/<uuid:donation_id>/receipt/", views.receipt_issue, name="receipt_issue"),
    path("receipts/<uuid:receipt_id>/cancel/", views.receipt_cancel, name="receipt_cancel"),
    path("receipts/<uuid:receipt_id>/pdf/", views.receipt_pdf, name="receipt_pdf"),
]
