from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("fagdigital.core.urls")),
    path("konto/", include("fagdigital.accounts.urls")),
    path("organisation/", include("fagdigital.tenancy.urls")),
    path("struktur/", include("fagdigital.orgs.urls")),
    path("rammer/", include("fagdigital.frameworks.urls")),
    path("maalinger/", include("fagdigital.assessments.urls")),
    path("analyse/", include("fagdigital.analytics.urls")),
    path("udvikling/", include("fagdigital.development.urls")),
    path("xapi/", include("fagdigital.development.xapi_urls")),
    path("platform/", include("fagdigital.portal.urls")),
]

handler403 = "fagdigital.core.views.permission_denied"
handler404 = "fagdigital.core.views.page_not_found"
handler500 = "fagdigital.core.views.server_error"
