from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "fagdigital.assessments"
    label = "assessments"
