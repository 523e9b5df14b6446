from django.urls import path

from diversion.privacy import hold_views, views

app_name = "privacy"

urlpatterns = [
    path("", views.request_list, name="requests"),
    path("find/", views.person_search, name="person-search"),
    path("people/<int:person>/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path(
        "requests/<int:pk>/export.json",
        views.export_download,
        {"kind": "json"},
        name="export-json",
    ),
    path("requests/<int:pk>/export.pdf", views.export_download, {"kind": "pdf"}, name="export-pdf"),
    path("holds/", hold_views.hold_list, name="holds"),
    path("holds/new/", hold_views.hold_new, name="hold-new"),
    path("holds/<int:pk>/lift/", hold_views.hold_lift, name="hold-lift"),
]
