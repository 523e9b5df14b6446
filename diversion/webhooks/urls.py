from django.urls import path

from diversion.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("new/", views.subscription_create, name="create"),
    path("<int:pk>/edit/", views.subscription_edit, name="edit"),
    path("<int:pk>/deactivate/", views.subscription_deactivate, name="deactivate"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:pk>/replay/", views.delivery_replay, name="replay"),
]
