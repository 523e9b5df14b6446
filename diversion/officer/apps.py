from django.apps import AppConfig


class OfficerConfig(AppConfig):
    """The officer's referral at the scene: pages, forms, drafts and the submission service."""

    name = "diversion.officer"
    label = "officer"
    verbose_name = "Officer's referral"

    def ready(self) -> None:
        from diversion.core.errors import error_renderer_register
        from diversion.officer.app_views import problem_renderer
        from diversion.officer.menus import menus_register

        menus_register()
        for prefix in ("/referrals/sync/", "/referrals/offline/session/"):
            error_renderer_register(prefix=prefix, renderer=problem_renderer)
