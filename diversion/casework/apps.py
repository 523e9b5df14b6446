from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "diversion.casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from diversion.casework.menus import menus_register
        from diversion.casework.selectors import allocated_course_types
        from diversion.courses.allocations import allocated_course_types_register

        menus_register()
        allocated_course_types_register(allocated_course_types)
