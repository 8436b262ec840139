"""The marketplace's built-in apps: one Django app per folder, each with a `manifest.py`
(see platform/jianlian/marketplace/manifest.py for the contract)."""
