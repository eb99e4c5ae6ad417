from django.urls import path

from . import views

app_name = "tenancy"
urlpatterns = [
    path("skift/", views.switch_organisation, name="switch"),
    path("invitation/<uidb64>/<token>/", views.invitation_accept, name="invitation"),
]
