from django.urls import path

from diversion.courses import register_views, views

app_name = "courses"

urlpatterns = [
    path("types/", views.course_type_list, name="course-type-list"),
    path("types/new/", views.course_type_add, name="course-type-add"),
    path("types/<int:pk>/", views.course_type_edit, name="course-type-edit"),
    path("settings/", views.course_settings, name="settings"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/new/", views.session_add, name="session-add"),
    path("sessions/mine/", register_views.my_sessions, name="my-sessions"),
    path("sessions/<int:pk>/", register_views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/register/", register_views.register, name="register"),
    path("waiting/", views.waiting, name="waiting"),
    path("waiting/<int:pk>/book/", views.enrol, name="enrol"),
    path("capacity/", views.capacity, name="capacity"),
]
