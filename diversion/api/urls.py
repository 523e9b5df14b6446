from django.urls import path, re_path

from diversion.api import docs, views

app_name = "api"

urlpatterns = [
    path("referrals/", views.ReferralCreateView.as_view(), name="referral-create"),
    path("referrals/<str:reference>/", views.ReferralDetailView.as_view(), name="referral-detail"),
    path("slots/", views.SlotListView.as_view(), name="slot-list"),
    path("eligibility-checks/", views.EligibilityCheckView.as_view(), name="eligibility-check"),
    path("notices/", views.NoticeListView.as_view(), name="notice-list"),
    path(
        "notices/<int:pk>/acknowledge/",
        views.NoticeAcknowledgeView.as_view(),
        name="notice-acknowledge",
    ),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.docs, name="docs"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
