from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "diversion.courses"
    label = "courses"
    verbose_name = "Courses"

    def ready(self) -> None:
        from diversion.courses.menus import menus_register
        from diversion.courses.scheme_policy import COURSE_TYPES
        from diversion.schemes.policy_parts import policy_part_register

        menus_register()
        policy_part_register(COURSE_TYPES)
