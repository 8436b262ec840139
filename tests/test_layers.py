"""Import layers (issue 14): the contracts in pyproject.toml's [tool.importlinter], checked with
import-linter on every `make test`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint(config: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}{os.pathsep}{ROOT}"}
    args = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    if config is not None:
        args += ["--config", str(config)]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_the_import_layers_hold():
    run = _lint()
    assert run.returncode == 0 and " 0 broken" in run.stdout, run.stdout + run.stderr


def test_a_broken_layer_is_reported(tmp_path):
    """The linter sees our imports: a contract the code certainly breaks (the GraphQL gateway
    uses core's errors) is reported broken."""
    config = tmp_path / "broken.toml"
    config.write_text(
        '[tool.importlinter]\nroot_packages = ["jianlian"]\n\n'
        '[[tool.importlinter.contracts]]\nname = "api without core"\ntype = "forbidden"\n'
        'source_modules = ["jianlian.api"]\nforbidden_modules = ["jianlian.core"]\n'
    )
    run = _lint(config)
    assert run.returncode != 0 and "BROKEN" in run.stdout, run.stdout + run.stderr
