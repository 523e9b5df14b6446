from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "diversion.evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        from diversion.core.worker import schedule_register
        from diversion.evaluation.menus import menus_register
        from diversion.evaluation.snapshot import snapshots_refresh

        menus_register()
        schedule_register(name="Evaluation snapshots", func=snapshots_refresh, minutes=60)
