"""The API clients' administration pages: HTML pages, outside /api/ (whose errors are problem
documents for machines)."""

from django.urls import path

from diversion.api import admin_views

app_name = "api_clients"

urlpatterns = [
    path("", admin_views.client_list, name="list"),
    path("new/", admin_views.client_create, name="create"),
    path("<int:pk>/", admin_views.client_detail, name="detail"),
]
