from django.urls import path

from diversion.officer import app_views, views

app_name = "officer"

urlpatterns = [
    path("", views.my_referrals, name="mine"),
    path("new/", views.start, name="start"),
    path("new/person/", views.person_page, name="person"),
    path("new/person/lookup/", views.lookup, name="lookup"),
    path("new/stop/", views.stop_page, name="stop"),
    path("new/consent/", views.consent_page, name="consent"),
    path("sw.js", app_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", app_views.manifest, name="manifest"),
    path("offline/", app_views.offline_page, name="offline"),
    path("offline/session/", app_views.offline_session, name="offline-session"),
    path("sync/", app_views.sync, name="sync"),
    path("<str:reference>/", views.done, name="done"),
]
