from django.urls import path

from . import views, views_import, views_roles

app_name = "orgs"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("enheder/<int:unit_id>/", views.unit_detail, name="unit"),
    path("personer/", views.people, name="people"),
    path("personer/<int:person_id>/", views.person_detail, name="person"),
    path("personer/<int:person_id>/roller/giv/", views_roles.role_grant, name="role_grant"),
    path("personer/<int:person_id>/roller/fjern/", views_roles.role_revoke, name="role_revoke"),
    path("personer/<int:person_id>/invitation/", views_roles.invitation_resend, name="invitation_resend"),
    path("roller/", views_roles.roles_overview, name="roles"),
    path("mig/", views.me, name="me"),
    path("import/", views_import.import_start, name="import_start"),
    path("import/historik/", views_import.import_history, name="import_history"),
    path("import/<int:import_id>/", views_import.import_preview, name="import_preview"),
    path("import/<int:import_id>/indlaes/", views_import.import_apply, name="import_apply"),
    path("import/<int:import_id>/status/", views_import.import_status, name="import_status"),
    path("import/<int:import_id>/fortryd/", views_import.import_undo, name="import_undo"),
]
