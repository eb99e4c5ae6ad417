from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "fagdigital.demo"
    label = "demo"
