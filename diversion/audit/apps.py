from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "diversion.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from diversion.audit.checkpoints import audit_checkpoint_write
        from diversion.core.worker import schedule_register

        # The chains' heads, signed, outside the database (decision 0014).
        schedule_register(name="Audit checkpoint", func=audit_checkpoint_write, minutes=5)
