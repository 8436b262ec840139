"""Configuration from the environment, and production's refusals."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _start(**env):
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "XDG_RUNTIME_DIR")}
    base.update(PYTHONPATH=f"{ROOT / 'platform'}:{ROOT}", DJANGO_SETTINGS_MODULE="jianlian.settings",
                # outside addresses, so that nothing embedded is started; nothing connects to them
                DATABASE_URL="postgres://nobody@127.0.0.1:1/none", REDIS_URL="redis://127.0.0.1:1/0", **env)
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); print('started')"],
                          cwd=ROOT, env=base, capture_output=True, text=True)


@pytest.mark.parametrize(
    "env,message",
    [
        ({}, "SECRET_KEY"),  # the development secret key
        ({"SECRET_KEY": "x" * 50, "DEBUG": "true"}, "DEBUG"),
        ({"SECRET_KEY": "x" * 50}, "FIELD_ENCRYPTION_KEY"),
        ({"SECRET_KEY": "x" * 50, "FIELD_ENCRYPTION_KEY": "ZmFrZS1maWVsZC1rZXktZm9yLXRlc3RzLW9ubHktISE="}, "LAUNCH_SIGNING_KEY"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = _start(JIANLIAN_ENV="production", **env)
    assert result.returncode != 0 and message in result.stderr and "started" not in result.stdout


def _rsa_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def test_production_starts_with_real_secrets():
    from cryptography.fernet import Fernet

    result = _start(JIANLIAN_ENV="production", SECRET_KEY="s" * 50, FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
                    LAUNCH_SIGNING_KEY=_rsa_pem())
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_sends_hsts_and_hides_introspection_from_anonymous_callers():
    from cryptography.fernet import Fernet

    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "XDG_RUNTIME_DIR")}
    base.update(PYTHONPATH=f"{ROOT / 'platform'}:{ROOT}", DJANGO_SETTINGS_MODULE="jianlian.settings",
                DATABASE_URL="postgres://nobody@127.0.0.1:1/none", REDIS_URL="redis://127.0.0.1:1/0",
                JIANLIAN_ENV="production", SECRET_KEY="s" * 50, FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
                LAUNCH_SIGNING_KEY=_rsa_pem())
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.GRAPHQL_INTROSPECTION, s.CORS_ALLOWED_ORIGINS)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    seconds, subdomains, introspection, cors = result.stdout.split(maxsplit=3)
    assert int(seconds) >= 180 * 24 * 3600 and subdomains == "True"
    assert introspection == "authenticated" and cors.strip() == "[]"
