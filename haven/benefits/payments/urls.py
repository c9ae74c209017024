from django.urls import path

from haven.benefits.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.index, name="index"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<uuid:payment_batch_id>/", views.batch_detail, name="batch"),
    path("batches/<uuid:payment_batch_id>/approve/", views.batch_approve, name="batch_approve"),
    path("batches/<uuid:payment_batch_id>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("batches/<uuid:payment_batch_id>/file/", views.batch_file, name="batch_file"),
    path("batches/<uuid:payment_batch_id>/results/", views.batch_import, name="batch_import"),
    path("cycles/<uuid:payment_cycle_id>/", views.reconciliation, name="reconciliation"),
    path("payments/<int:failed_payment_id>/wallet/", views.wallet_correct, name="wallet_correct"),
    path("payments/<int:failed_payment_id>/retry/", views.payment_release, name="payment_release"),
]
