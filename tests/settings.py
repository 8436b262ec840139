"""The test suite's settings: the real ones, plus two sample modules that exercise the
marketplace's module contract (install, upgrade, dependencies, gating, badges, periodic tasks)
with real migrations, models and GraphQL fields."""

from jianlian.settings import *  # noqa: F403
from jianlian.settings import INSTALLED_APPS, JIANLIAN_MODULES, REPO_ROOT, TENANT_APPS
from jianlian.marketplace.discovery import module_apps

SAMPLE_MODULES = module_apps(REPO_ROOT / "tests" / "sample_modules", "tests.sample_modules")
JIANLIAN_MODULES = [*JIANLIAN_MODULES, *SAMPLE_MODULES]
TENANT_APPS = [*TENANT_APPS, *SAMPLE_MODULES]
INSTALLED_APPS = [*INSTALLED_APPS, *SAMPLE_MODULES]

# Raising an error code that is not registered fails the test that reaches it (jianlian.core.errors).
ERROR_CODES_STRICT = True
