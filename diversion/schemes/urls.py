from django.urls import path

from diversion.schemes import setup_views, views

app_name = "schemes"

urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("new/", setup_views.scheme_create, name="create"),
    path("<str:code>/", views.scheme_detail, name="detail"),
    path("<str:code>/edit/", setup_views.scheme_edit, name="edit"),
    path("<str:code>/policy/", views.policy_edit, name="policy-edit"),
    path("<str:code>/sharing/", views.sharing_edit, name="sharing-edit"),
    path("<str:code>/funding/new/", views.funding_period_add, name="funding-add"),
]
