from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.platform_page, name="platform"),
    path("ny-kommune/", views.onboard, name="onboard"),
]
