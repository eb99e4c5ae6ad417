from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    """Developing people: the learning catalogue, recommendations, individual and team plans, completions
    as learning evidence (with the xAPI statement intake) and learning communities (decision 0018).

    Above analytics (it reads published round figures for team plans and providers' demand) and
    assessments (it reads estimates and writes learning evidence through assessments' service); below
    the portal and the demo."""

    name = "fagdigital.development"
    label = "development"
    verbose_name = _("Udvikling")
