from django.urls import path

from . import views

app_name = "tenancy"
urlpatterns = [
    path("skift/", views.switch_organisation, name="switch"),
]
