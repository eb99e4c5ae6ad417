from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fagdigital.accounts"
    label = "accounts"
