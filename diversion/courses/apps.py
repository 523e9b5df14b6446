from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "diversion.courses"
    label = "courses"
    verbose_name = "Courses"
