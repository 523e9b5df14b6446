from django.urls import path

from diversion.scheduling import rota_views, views

app_name = "scheduling"

urlpatterns = [
    path("", views.my_day, name="day"),
    path("team/", views.team_day, name="team"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/missed/", views.call_missed, name="missed"),
    path("calls/<int:pk>/rebook/", views.call_rebook, name="rebook"),
    path("calls/<int:pk>/reassign/", views.call_reassign, name="reassign"),
    path("calls/<int:pk>/interpreter/", views.call_interpreter, name="interpreter"),
    path("rotas/", rota_views.rota_list, name="rotas"),
    path("rotas/<int:pk>/", rota_views.rota_worker, name="rota"),
    path("rotas/<int:pk>/away/", rota_views.away_add, name="away-add"),
    path("rotas/hours/<int:pk>/remove/", rota_views.hours_remove, name="hours-remove"),
    path("rotas/away/<int:pk>/remove/", rota_views.away_remove, name="away-remove"),
]
