from django.urls import path

from . import views, views_io

app_name = "frameworks"
urlpatterns = [
    # Browse (everyone in the organisation)
    path("", views.framework_list, name="list"),
    path("min-rolle/", views.my_role, name="my_role"),
    path("<int:framework_id>/", views.framework_detail, name="detail"),
    path("<int:framework_id>/kompetencer/<int:competence_id>/", views.competence_detail, name="competence"),
    path("<int:framework_id>/forskelle/", views.framework_diff, name="diff"),
    # Versions (competence admins)
    path("installer-standardramme/", views.install_default, name="install_default"),
    path("<int:framework_id>/udgiv/", views.framework_publish, name="publish"),
    path("<int:framework_id>/ny-version/", views.framework_new_version, name="new_version"),
    # Editor (competence admins, drafts only)
    path("<int:framework_id>/rediger/", views.framework_edit, name="edit"),
    path("<int:framework_id>/rediger/fokusomraader/nyt/", views.area_create, name="area_create"),
    path("<int:framework_id>/rediger/fokusomraader/<int:area_id>/", views.area_edit, name="area_edit"),
    path("<int:framework_id>/rediger/fokusomraader/<int:area_id>/flyt/", views.area_move, name="area_move"),
    path(
        "<int:framework_id>/rediger/fokusomraader/<int:area_id>/ny-kompetence/",
        views.competence_create,
        name="competence_create",
    ),
    path(
        "<int:framework_id>/rediger/kompetencer/<int:competence_id>/",
        views.competence_edit,
        name="competence_edit",
    ),
    path(
        "<int:framework_id>/rediger/kompetencer/<int:competence_id>/flyt/",
        views.competence_move,
        name="competence_move",
    ),
    path(
        "<int:framework_id>/rediger/rolleprofiler/ny/", views.role_profile_create, name="role_profile_create"
    ),
    path(
        "<int:framework_id>/rediger/rolleprofiler/<int:role_profile_id>/",
        views.role_profile_edit,
        name="role_profile_edit",
    ),
    path(
        "<int:framework_id>/rediger/rolleprofiler/<int:role_profile_id>/flyt/",
        views.role_profile_move,
        name="role_profile_move",
    ),
    path("<int:framework_id>/maalniveauer/", views.target_grid, name="target_grid"),
    path(
        "<int:framework_id>/maalniveauer/<int:role_profile_id>/<int:competence_id>/",
        views.target_set,
        name="target_set",
    ),
    path("<int:framework_id>/stillinger/", views.job_functions, name="job_functions"),
    path("<int:framework_id>/stillingskoder/", views.job_codes, name="job_codes"),
    # Import and export (views_io.py)
    path("import/", views_io.framework_import, name="import"),
    path("import/<int:framework_import_id>/", views_io.framework_import_preview, name="import_preview"),
    path("<int:framework_id>/eksport/<str:file_format>/", views_io.framework_export, name="export"),
]
