from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "diversion.evaluation"
    verbose_name = "Evaluation"
