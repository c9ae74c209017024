from django.urls import path

from haven.associations import views

app_name = "associations"
urlpatterns = [
    path("", views.association_list, name="list"),
    path("new/", views.association_create, name="create"),
    path("<uuid:association_id>/", views.association_detail, name="detail"),
    path("<uuid:association_id>/documents/", views.document_upload, name="document_upload"),
    path("documents/<uuid:association_document_id>/", views.document_download, name="document_download"),
    path("<uuid:association_id>/approve/", views.association_approve, name="approve"),
    path("<uuid:association_id>/refuse/", views.association_refuse, name="refuse"),
    path("<uuid:registered_association_id>/renew/", views.association_renew, name="renew"),
    path("<uuid:association_id>/office-bearers/new/", views.bearer_add, name="bearer_add"),
    path("<uuid:registered_association_id>/gradings/new/", views.grading_create, name="grading_create"),
    path("grants/", views.grant_overview, name="grants"),
    path("grants/schedule/", views.schedule_set, name="schedule_set"),
    path("grants/rounds/new/", views.round_create, name="round_create"),
    path("grants/rounds/<uuid:association_grant_round_id>/", views.round_detail, name="round_detail"),
    path(
        "grants/rounds/<uuid:association_open_round_id>/allocate/",
        views.round_allocate,
        name="round_allocate",
    ),
    path(
        "grants/rounds/<uuid:association_grant_round_id>/approve/", views.round_approve, name="round_approve"
    ),
    path("grants/<int:association_grant_id>/disburse/", views.grant_disburse, name="grant_disburse"),
    path("grants/<int:association_disbursed_grant_id>/report/", views.grant_report, name="grant_report"),
    path("entrepreneurs/", views.entrepreneur_list, name="entrepreneurs"),
    path("entrepreneurs/new/", views.entrepreneur_create, name="entrepreneur_create"),
    path("entrepreneurs/<uuid:entrepreneur_id>/", views.entrepreneur_detail, name="entrepreneur_detail"),
    path("entrepreneurs/<uuid:entrepreneur_id>/products/new/", views.product_add, name="product_add"),
    path("entrepreneurs/<uuid:entrepreneur_id>/trainings/new/", views.training_add, name="training_add"),
    path("entrepreneurs/<uuid:entrepreneur_id>/sales/new/", views.sales_add, name="sales_add"),
    path("centres/", views.centre_list, name="centres"),
    path("centres/new/", views.centre_create, name="centre_create"),
    path("centres/<uuid:marketing_centre_id>/", views.centre_detail, name="centre_detail"),
    path("centres/<uuid:marketing_centre_id>/stalls/new/", views.stall_add, name="stall_add"),
    path(
        "centres/<uuid:marketing_centre_id>/allocations/new/",
        views.allocation_create,
        name="allocation_create",
    ),
    path(
        "allocations/<uuid:stall_allocation_id>/payments/new/",
        views.allocation_payment,
        name="allocation_payment",
    ),
    path("allocations/<uuid:stall_allocation_id>/cancel/", views.allocation_cancel, name="allocation_cancel"),
    path("statistics/", views.statistics, name="statistics"),
]
