from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "fagdigital.frameworks"
    label = "frameworks"
