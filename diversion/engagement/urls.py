from django.urls import path

from diversion.engagement import views

app_name = "engagement"

urlpatterns = [path("notices/", views.notice_list, name="notices")]
