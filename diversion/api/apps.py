from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "diversion.api"
    label = "api"
    verbose_name = "API for police systems"

    def ready(self) -> None:
        # Registers the bearer-key security scheme with drf-spectacular.
        from diversion.api import schema  # noqa: F401
        from diversion.api.erasure import idempotency_records_forget
        from diversion.api.menus import menus_register
        from diversion.api.problems import problem_page
        from diversion.api.retention import retention_kinds_register
        from diversion.core.errors import error_renderer_register
        from diversion.core.events import subscribe
        from diversion.privacy.events import PersonErased

        subscribe(PersonErased, idempotency_records_forget, in_transaction=True)

        # Errors raised before or outside the API's views (an unknown address, a refused
        # request) are problem documents under /api/ too, never the web's HTML page.
        error_renderer_register(prefix="/api/", renderer=problem_page)
        menus_register()
        retention_kinds_register()
