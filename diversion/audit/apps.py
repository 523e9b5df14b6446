from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "diversion.audit"
    label = "audit"
    verbose_name = "Audit"
