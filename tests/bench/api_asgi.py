"""ASGI entry for the API benchmark's server process: the product with tests.bench.api_urls."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianlian.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "tests.bench.api_urls"

from jianlian.asgi import application  # noqa: E402, F401
