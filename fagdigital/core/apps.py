from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fagdigital.core"
    label = "core"
