"""Production settings for the gunicorn server of the assessment load benchmark, with four changes.

Everything else comes from `config.settings` and the environment `bench_assessments` gives the server
(DEBUG off, not in test mode, its own SECRET_KEY and ALLOWED_HOSTS, the benchmark database).

- ROOT_URLCONF adds the baseline view (bench/urls_bench.py).
- Cookies are not `Secure` and nothing redirects to HTTPS: the load test speaks plain HTTP on loopback,
  where a production server sits behind a TLS proxy instead.
- Static file URLs come from the plain storage: production has a manifest from `collectstatic`, which
  `./dev bench` does not build, and without one the manifest storage would hash the CSS and JavaScript
  files on every page; a manifest lookup and the plain storage cost about the same.
"""

from config.settings import *  # noqa: F403 -- the real settings, changed only below

ROOT_URLCONF = "bench.urls_bench"

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
