from django.urls import path

from . import views_io

app_name = "frameworks"
urlpatterns = [
    # Import and export (views_io.py)
    path("import/", views_io.framework_import, name="import"),
    path("import/<int:framework_import_id>/", views_io.framework_import_preview, name="import_preview"),
    path("<int:framework_id>/eksport/<str:file_format>/", views_io.framework_export, name="export"),
]
