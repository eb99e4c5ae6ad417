"""The app's URLs plus the baseline view of the assessment load benchmark (never in production).

The baseline answers a GET with one indexed query (a person's name by primary key) through the same
middleware stack as every page, so `bench_assessments` can set the questionnaire's throughput against
the cheapest view the app could have on the same server in the same run.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from fagdigital.orgs.models import Person

BASELINE_PATH = "bench/grundlinje/"


def baseline(request: HttpRequest, person_id: int) -> HttpResponse:
    """Exactly one query, on the primary key's index; 404 for an unknown id (the load test never asks one)."""
    name = Person.objects.filter(pk=person_id).values_list("name", flat=True).first()
    if name is None:
        return HttpResponse("ukendt", status=404, content_type="text/plain; charset=utf-8")
    return HttpResponse(name, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path(f"{BASELINE_PATH}<int:person_id>/", baseline, name="bench_baseline"),
    path("", include("config.urls")),
]

handler403 = "fagdigital.core.views.permission_denied"
handler404 = "fagdigital.core.views.page_not_found"
handler500 = "fagdigital.core.views.server_error"
