from django.urls import path

from . import views, views_exports, views_indicators

app_name = "analytics"

urlpatterns = [
    # Gap dashboard: the whole organisation (or a leader's own units) and drill-down per unit.
    path("", views.dashboard, name="dashboard"),
    path("enhed/<int:unit_id>/", views.dashboard_unit, name="dashboard_unit"),
    # The same figures as JSON (the API), under the same rules.
    path("api/heatmap/", views.api_heatmap, name="api_heatmap"),
    path("api/heatmap/<int:unit_id>/", views.api_heatmap_unit, name="api_heatmap_unit"),
    # Exports.
    path("eksport/<str:file_format>/", views_exports.export_heatmap, name="export_heatmap"),
    path(
        "eksport/<int:unit_id>/<str:file_format>/",
        views_exports.export_heatmap_unit,
        name="export_heatmap_unit",
    ),
    path("rapport/", views_exports.report_pdf, name="report_pdf"),
    path("rapport/<int:unit_id>/", views_exports.report_pdf_unit, name="report_pdf_unit"),
    # Chiefs' indicators and the benchmark across municipalities.
    path("ledelsesindikatorer/", views_indicators.indicators, name="indicators"),
    path("benchmark/", views_indicators.benchmark, name="benchmark"),
    path("benchmark/navngivning/", views_indicators.benchmark_naming, name="benchmark_naming"),
]
