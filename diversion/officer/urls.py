from django.urls import path

from diversion.officer import views

app_name = "officer"

urlpatterns = [
    path("", views.my_referrals, name="mine"),
    path("new/", views.start, name="start"),
    path("new/person/", views.person_page, name="person"),
    path("new/person/lookup/", views.lookup, name="lookup"),
    path("new/stop/", views.stop_page, name="stop"),
    path("new/consent/", views.consent_page, name="consent"),
    path("<str:reference>/", views.done, name="done"),
]
