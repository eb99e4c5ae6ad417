from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "fagdigital.orgs"
    label = "orgs"
