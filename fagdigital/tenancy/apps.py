from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "fagdigital.tenancy"
    label = "tenancy"
