from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "diversion.evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        from diversion.core.events import subscribe
        from diversion.core.worker import schedule_register
        from diversion.evaluation.erasure import evaluation_forget_person
        from diversion.evaluation.menus import menus_register
        from diversion.evaluation.retention import retention_kinds_register
        from diversion.evaluation.snapshot import snapshots_refresh
        from diversion.privacy.events import PersonErased

        subscribe(PersonErased, evaluation_forget_person, in_transaction=True)
        menus_register()
        retention_kinds_register()
        schedule_register(name="Evaluation snapshots", func=snapshots_refresh, minutes=60)
