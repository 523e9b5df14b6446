"""The audit log page at /audit/. The schemes app serves it (it shows the events of the
administrator's schemes, and the audit app knows no schemes), under its old namespace `audit`."""

from django.urls import path

from diversion.schemes import views

app_name = "audit"

urlpatterns = [path("", views.audit_event_list, name="event-list")]
