from django.urls import path

from diversion.casework import manage_views, plan_views, views

app_name = "casework"

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/<str:reference>/", views.case, name="case"),
    path("cases/<str:reference>/assessment/", views.assessment_start, name="assessment"),
    path(
        "cases/<str:reference>/assessment/check/",
        views.assessment_check,
        name="assessment-check",
    ),
    path(
        "cases/<str:reference>/assessment/<slug:section>/",
        views.assessment_section,
        name="assessment-section",
    ),
    path("cases/<str:reference>/plan/", plan_views.plan, name="plan"),
    path("cases/<str:reference>/plan/send/", plan_views.plan_send, name="plan-send"),
    path("cases/<str:reference>/allocation/", plan_views.allocation, name="allocation"),
    path("cases/<str:reference>/onward/new/", plan_views.onward_new, name="onward-new"),
    path("cases/<str:reference>/onward/<int:pk>/", plan_views.onward_update, name="onward-update"),
    path("casework/safeguarding/", plan_views.safeguarding_list, name="safeguarding"),
    path(
        "casework/safeguarding/<int:pk>/picked-up/",
        plan_views.safeguarding_acknowledge_view,
        name="safeguarding-acknowledge",
    ),
    path("casework/<str:code>/advice/", manage_views.advice_list, name="advice-list"),
    path("casework/<str:code>/advice/new/", manage_views.advice_edit, name="advice-new"),
    path("casework/<str:code>/advice/<slug:key>/", manage_views.advice_edit, name="advice-edit"),
    path("casework/<str:code>/services/", manage_views.service_list, name="services"),
    path("casework/<str:code>/services/new/", manage_views.service_edit, name="service-new"),
    path("casework/<str:code>/services/<int:pk>/", manage_views.service_edit, name="service-edit"),
    path("casework/<str:code>/settings/", manage_views.settings_edit, name="settings"),
]
