from django.urls import path

from diversion.schemes import organisation_views as views

app_name = "local_authorities"

urlpatterns = [
    path("", views.local_authority_list, name="list"),
    path("new/", views.local_authority_create, name="create"),
    path("<int:pk>/", views.local_authority_edit, name="edit"),
]
