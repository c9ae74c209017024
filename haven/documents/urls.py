from django.urls import path

from haven.documents import views

app_name = "documents"
urlpatterns = [
    path("templates/", views.templates, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/examples/", views.install_examples, name="install_examples"),
    path("templates/<uuid:document_template_id>/", views.template_edit, name="template"),
    path("templates/<uuid:document_template_id>/offered/", views.template_active, name="template_active"),
    path("cases/<uuid:case_id>/draft/", views.choose_template, name="choose_template"),
    path(
        "cases/<uuid:case_id>/draft/<uuid:document_template_id>/",
        views.draft_new,
        name="draft_new",
    ),
    path("drafts/<uuid:document_draft_id>/", views.draft_detail, name="draft"),
    path("drafts/<uuid:document_draft_id>/review/", views.draft_transition, name="draft_transition"),
    path("drafts/<uuid:document_draft_id>/pdf/", views.draft_pdf, name="draft_pdf"),
]
