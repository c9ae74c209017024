from django.urls import path

from haven.benefits.selection import views

app_name = "selection"
urlpatterns = [
    path("", views.application_list, name="applications"),
    path("apply/", views.apply, name="apply"),
    path("apply/new-woman/", views.apply_new, name="apply_new"),
    path("applications/<uuid:benefit_application_id>/", views.application_detail, name="application"),
    path(
        "applications/<uuid:benefit_application_id>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("applications/<uuid:benefit_application_id>/papers/", views.document_upload, name="document_upload"),
    path("papers/<uuid:application_document_id>/", views.document_download, name="document_download"),
    path("quotas/", views.quota_list, name="quotas"),
    path("quotas/new/", views.quota_create, name="quota_create"),
    path("quotas/<uuid:selection_quota_id>/edit/", views.quota_edit, name="quota_edit"),
    path("quotas/<uuid:selection_quota_id>/delete/", views.quota_delete, name="quota_delete"),
    path("quotas/<uuid:selection_quota_id>/draft/", views.draft_build, name="draft_build"),
    path("lists/", views.list_index, name="lists"),
    path("lists/<uuid:selection_list_id>/", views.list_detail, name="list"),
    path("lists/<uuid:selection_list_id>/review/", views.list_review, name="list_review"),
    path("lists/<uuid:selection_list_id>/members/", views.list_member, name="list_member"),
    path("lists/<uuid:selection_list_id>/include-rest/", views.list_include_rest, name="list_include_rest"),
    path("lists/<uuid:selection_list_id>/publish/", views.list_publish, name="list_publish"),
    path("lists/<uuid:selection_list_id>/objections/", views.list_objection, name="list_objection"),
    path("lists/<uuid:selection_list_id>/finalise/", views.list_finalise, name="list_finalise"),
    path("entries/<uuid:selection_entry_id>/decide/", views.entry_decide, name="entry_decide"),
    path("objections/<uuid:list_objection_id>/decide/", views.objection_decide, name="objection_decide"),
    path("statistics/", views.statistics, name="statistics"),
    path("public/<slug:org_slug>/", views.public_lists, name="public_lists"),
    path("public/<slug:org_slug>/<uuid:selection_list_id>/", views.public_notice, name="public_notice"),
]
