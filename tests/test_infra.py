"""infra/: what an operator deploys, checked without a Docker engine or a cluster.

- the Kustomize overlays render offline (`kubectl kustomize`; skipped where kubectl is missing)
  and every rendered manifest validates, strictly, against the Kubernetes schemas shipped in the
  `kubernetes-validate` package;
- the compose file validates against the Compose Specification's schema as vendored by
  `check-jsonschema` (no schema is downloaded);
- every command, probe and variable in them names a real entry point of this repository: a
  management command, the Celery app, the ASGI application, the health URL, a setting read from
  the environment;
- the shape the deployment relies on: a migrator everyone waits for, exactly one beat, probes,
  resources, disruption budgets, secrets only from the environment, a non-root image.
"""

from __future__ import annotations

import importlib
import json
import re
import shlex
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
INFRA = ROOT / "infra"
OVERLAYS = sorted(p.name for p in (INFRA / "k8s" / "overlays").iterdir() if p.is_dir())
K8S_VERSION = "1.32.0"
KUBECTL = shutil.which("kubectl")


# --- rendering and schemas -----------------------------------------------------------------------

def _render(overlay: str) -> list[dict]:
    if KUBECTL is None:
        pytest.skip("kubectl is not installed: the overlays cannot be rendered here")
    out = subprocess.run([KUBECTL, "kustomize", str(INFRA / "k8s" / "overlays" / overlay)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return [d for d in yaml.safe_load_all(out.stdout) if d]


@pytest.fixture(scope="module", params=OVERLAYS)
def manifests(request) -> tuple[str, list[dict]]:
    return request.param, _render(request.param)


def _compose() -> dict:
    return yaml.safe_load((INFRA / "docker-compose.yml").read_text())


def test_there_is_a_plain_and_a_citus_pgbouncer_overlay():
    assert {"single-postgres", "citus-pgbouncer"} <= set(OVERLAYS)


def test_every_rendered_manifest_validates_against_the_kubernetes_schema(manifests):
    import kubernetes_validate

    _overlay, docs = manifests
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_the_compose_file_validates_against_the_compose_specification():
    import jsonschema

    schema = json.loads((resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_compose())]
    assert errors == []


def test_a_broken_compose_file_is_caught():
    """The validator is really applied (a misspelt key fails)."""
    import jsonschema

    schema = json.loads((resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text())
    broken = _compose()
    broken["services"]["web"]["depends_onn"] = broken["services"]["web"].pop("depends_on")
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


# --- the commands and variables name real entry points --------------------------------------------

def _workloads(docs: list[dict]):
    for doc in docs:
        if doc["kind"] in ("Deployment", "Job"):
            yield doc, doc["spec"]["template"]["spec"]


def _containers(docs: list[dict]):
    for doc, pod in _workloads(docs):
        for c in [*pod.get("initContainers", []), *pod["containers"]]:
            yield doc, c


def _ours(container: dict) -> bool:
    return container["image"].split("/")[-1].split(":")[0] == "jianlian"


def _check_command(argv: list[str]) -> None:
    """The command exists in this repository: manage.py commands, the Celery app, the ASGI app."""
    from django.core.management import get_commands

    if argv[:2] == ["sh", "-c"]:
        return _check_command(shlex.split(argv[2].replace("$HOSTNAME", "host")))
    if argv[:2] == ["python", "manage.py"]:
        assert argv[2] in get_commands(), f"no manage.py command {argv[2]}"
    elif argv[:3] == ["python", "-m", "uvicorn"]:
        module, attr = argv[3].split(":")
        assert callable(getattr(importlib.import_module(module), attr))
    elif argv[0] == "celery":
        from celery import Celery

        module = importlib.import_module(argv[argv.index("-A") + 1])
        assert isinstance(getattr(module, "app"), Celery)
        assert argv[argv.index("-A") + 2] in ("worker", "beat", "inspect")
    else:
        raise AssertionError(f"unknown entry point: {argv}")


def _documented_variables() -> set[str]:
    """The variables README.md documents, each read by the settings (or the embedded services)."""
    text = (ROOT / "README.md").read_text()
    table = text[text.index("## Environment variables"):]
    names = set(re.findall(r"^\| `([A-Z_]+)`", table, re.M))
    names |= set(re.findall(r" / `([A-Z_]+)`", table))
    return names


def _read_by_code(name: str) -> bool:
    code = (ROOT / "platform" / "jianlian" / "settings.py").read_text() + (ROOT / "platform" / "jianlian" / "devservices.py").read_text()
    return name in code


def test_manifest_commands_and_variables_match_the_code(manifests):
    overlay, docs = manifests
    documented = _documented_variables()
    for _doc, c in _containers(docs):
        if not _ours(c):
            continue
        _check_command(c["command"])
        for probe in ("readinessProbe", "livenessProbe"):
            if "exec" in c.get(probe, {}):
                _check_command(c[probe]["exec"]["command"])
        for env in c.get("env", []):
            assert env["name"] in documented and _read_by_code(env["name"]), env["name"]
    for cm in (d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("jianlian-config")):
        for name in cm["data"]:
            assert name in documented and _read_by_code(name), f"{overlay}: {name} is not a documented setting"


def test_probes_reach_the_health_view(manifests):
    from django.urls import resolve

    from jianlian.urls import health

    _overlay, docs = manifests
    web = [c for d, c in _containers(docs) if d["metadata"]["name"] == "jianlian-web" and c["name"] == "web"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        get = web[probe]["httpGet"]
        assert resolve(get["path"]).func is health
        assert {"name": "Host", "value": "localhost"} in get["httpHeaders"]  # a host the settings allow


def test_compose_commands_and_variables_match_the_code():
    compose = _compose()
    documented = _documented_variables()
    for name, service in compose["services"].items():
        if "command" in service and service.get("image", "").startswith("${JIANLIAN_IMAGE"):
            _check_command(service["command"])
            for var in service.get("environment", {}):
                assert var in documented and _read_by_code(var), f"{name}: {var}"
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


def test_the_dockerfile_builds_the_frontend_and_runs_the_web_command_unprivileged():
    text = (INFRA / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+) AS (\w+)", text, re.M)
    assert [s[1] for s in stages] == ["frontend", "runtime"] and stages[0][0].startswith("node:")
    assert "npm run build" in text and "--from=frontend" in text
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    cmd = json.loads(re.search(r"^CMD (\[.*?\])\s*$", text.replace("\\\n", ""), re.M | re.S).group(1))
    assert cmd == _compose()["services"]["web"]["command"]
    _check_command(cmd)


# --- the deployment's shape ------------------------------------------------------------------------

def test_exactly_one_beat_and_a_migrator_everything_waits_for(manifests):
    _overlay, docs = manifests
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    beat = deployments["jianlian-beat"]
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"]["type"] == "Recreate"
    jobs = [d for d in docs if d["kind"] == "Job"]
    assert [j["spec"]["template"]["spec"]["containers"][0]["command"] for j in jobs] == [["python", "manage.py", "migrate_all"]]
    for name in ("jianlian-web", "jianlian-worker", "jianlian-beat"):
        init = deployments[name]["spec"]["template"]["spec"]["initContainers"]
        assert init[0]["command"][:3] == ["python", "manage.py", "wait_for_migrations"]


def test_every_container_has_resources_and_web_is_protected_by_a_budget(manifests):
    _overlay, docs = manifests
    for doc, c in _containers(docs):
        assert c["resources"]["requests"] and c["resources"]["limits"]["memory"], (doc["metadata"]["name"], c["name"])
    budgets = {tuple(sorted(p["spec"]["selector"]["matchLabels"].items())) for p in docs if p["kind"] == "PodDisruptionBudget"}
    for d in (d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] != "jianlian-beat"):
        assert tuple(sorted(d["spec"]["selector"]["matchLabels"].items())) in budgets, d["metadata"]["name"]


def test_secrets_come_from_the_environment_only(manifests):
    _overlay, docs = manifests
    assert not [d for d in docs if d["kind"] == "Secret"], "no secret value is committed"
    for _doc, c in _containers(docs):
        if _ours(c):
            assert {"secretRef": {"name": "jianlian-secrets"}} in c["envFrom"]
    for _doc, pod in _workloads(docs):
        assert pod["securityContext"]["runAsNonRoot"] is True


def test_the_citus_overlay_pools_in_transaction_mode_and_migrates_directly():
    docs = _render("citus-pgbouncer")
    config = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("jianlian-config")][0]
    assert config["data"]["DATABASE_POOL_MODE"] == "transaction"
    ini = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("pgbouncer-config")][0]
    assert re.search(r"^pool_mode = transaction$", ini["data"]["pgbouncer.ini"], re.M)
    job = [d for d in docs if d["kind"] == "Job"][0]["spec"]["template"]["spec"]["containers"][0]
    assert job["env"] == [{"name": "DATABASE_URL", "valueFrom": {"secretKeyRef": {"name": "jianlian-secrets", "key": "MIGRATE_DATABASE_URL"}}}]


def test_wait_for_migrations_returns_on_a_migrated_database(db, capsys):
    from django.core.management import call_command

    call_command("wait_for_migrations", timeout=0)
    assert "已迁移到最新" in capsys.readouterr().out

