from django.contrib import admin
from django.urls import include, path

from haven.api import api

admin.site.site_header = "Haven"
admin.site.site_title = "Haven"

urlpatterns = [
    path("", include("haven.web.urls")),
    path("accounts/", include("haven.accounts.urls")),
    path("org/", include("haven.orgs.urls")),
    path("org/retention/", include("haven.retention.urls")),
    path("people/", include("haven.people.urls")),
    path("cases/", include("haven.cases.urls")),
    path("directory/", include("haven.directory.urls")),
    path("referrals/", include("haven.referrals.urls")),
    path("hotline/", include("haven.hotline.urls")),
    path("channels/", include("haven.channels.urls")),
    path("chat/", include("haven.channels.webchat_urls")),
    path("dispatch/", include("haven.dispatch.urls")),
    path("risk/", include("haven.risk.urls")),
    path("shelters/", include("haven.shelters.urls")),
    path("legal/", include("haven.legal.urls")),
    path("documents/", include("haven.documents.urls")),
    path("counselling/", include("haven.counselling.urls")),
    path("groups/", include("haven.groups.urls")),
    path("perpetrators/", include("haven.perpetrators.urls")),
    path("committees/", include("haven.committees.urls")),
    path("supporters/", include("haven.supporters.urls")),
    path("benefits/imports/", include("haven.benefits.imports.urls")),
    path("benefits/selection/", include("haven.benefits.selection.urls")),
    path("benefits/grievances/", include("haven.benefits.grievances.urls")),
    path("benefits/distribution/", include("haven.benefits.distribution.urls")),
    path("benefits/payments/", include("haven.benefits.payments.urls")),
    path("benefits/", include("haven.benefits.urls")),
    path("loans/", include("haven.loans.urls")),
    path("associations/", include("haven.associations.urls")),
    path("training/", include("haven.training.urls")),
    path("reports/public/", include("haven.reports.public.urls")),
    path("reports/sharing/", include("haven.reports.sharing.urls")),
    path("reports/dhis2/", include("haven.reports.dhis2.urls")),
    path("reports/exports/", include("haven.reports.exports.urls")),
    path("reports/projects/", include("haven.reports.projects.urls")),
    path("reports/", include("haven.reports.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
