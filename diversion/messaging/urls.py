from django.urls import path

from diversion.messaging import views

app_name = "messaging"

urlpatterns = [
    path("inbound/notify/", views.inbound_notify, name="inbound-notify"),
    path("emails/<str:token>/", views.email_opt_out, name="email-opt-out"),
]
