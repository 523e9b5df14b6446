from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "diversion.people"
    label = "people"
    verbose_name = "People"
