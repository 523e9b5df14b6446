from django.urls import path

from diversion.engagement import selfservice_views

app_name = "selfservice"

urlpatterns = [path("<str:token>/", selfservice_views.link, name="link")]
