from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "fagdigital.analytics"
    label = "analytics"
