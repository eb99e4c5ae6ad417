from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Each role's home page and the platform administrator's pages: they draw on every app, so they
    sit above them all (decision 0013). No models."""

    name = "fagdigital.portal"
    verbose_name = _("Forside og platform")
