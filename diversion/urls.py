from django.urls import include, path

urlpatterns = [
    path("", include("diversion.core.urls")),
    path("", include("diversion.accounts.urls")),
    path("schemes/", include("diversion.schemes.urls")),
    path("audit/", include("diversion.schemes.audit_urls")),
    path("organisations/", include("diversion.schemes.organisation_urls")),
    path("local-authorities/", include("diversion.schemes.local_authority_urls")),
    path("referrals/", include("diversion.officer.urls")),
    path("police/", include("diversion.engagement.urls")),
    path("r/", include("diversion.engagement.selfservice_urls")),
    path("messaging/", include("diversion.messaging.urls")),
    path("api/v1/", include("diversion.api.urls")),
    path("api-clients/", include("diversion.api.admin_urls")),
    path("webhooks/", include("diversion.webhooks.urls")),
    path("information-rights/", include("diversion.privacy.urls")),
    path("evaluation/", include("diversion.evaluation.urls")),
    path("retention/", include("diversion.retention.urls")),
    path("", include("diversion.casework.urls")),
    path("courses/", include("diversion.courses.urls")),
    path("caseload/", include("diversion.scheduling.urls")),
]

handler400 = "diversion.core.errors.bad_request"
handler403 = "diversion.core.errors.forbidden"
handler404 = "diversion.core.errors.not_found"
handler500 = "diversion.core.errors.server_error"
