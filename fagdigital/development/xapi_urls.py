"""The xAPI endpoint (decision 0018): an LMS's or provider's system sends statements here."""

from django.urls import path

from .views import xapi

app_name = "xapi"

urlpatterns = [
    path("statements", xapi.statements, name="statements"),
    path("about", xapi.about, name="about"),
]
