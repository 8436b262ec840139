"""Sample marketplace modules used only by the tests (see tests/settings.py)."""
