from django.urls import path

from haven.loans import views

app_name = "loans"
urlpatterns = [
    path("", views.loan_list, name="list"),
    path("new/", views.loan_apply, name="apply"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("products/", views.product_list, name="products"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<uuid:loan_product_id>/retire/", views.product_retire, name="product_retire"),
    path("<uuid:loan_id>/", views.loan_detail, name="detail"),
    path("<uuid:loan_id>/decision/", views.loan_decide, name="decide"),
    path("<uuid:loan_id>/disbursement/", views.loan_disburse, name="disburse"),
    path("<uuid:loan_id>/repayments/new/", views.loan_repay, name="repay"),
    path("<uuid:loan_id>/reschedule/", views.loan_reschedule, name="reschedule"),
    path("<uuid:loan_id>/write-off/", views.loan_write_off, name="write_off"),
    path("repayments/<uuid:loan_repayment_id>/reverse/", views.repayment_reverse, name="reverse"),
]
