"""The no-shadowing rule: `platform` and `graphql` stay the standard library's and graphql-core's."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_stdlib_platform_works_from_repo_root():
    # given a Python started in the repository root, with the project's source roots on the path
    code = "import platform, graphql; print(platform.system()); print(graphql.__name__, hasattr(graphql, 'parse'))"
    # when it imports `platform` and `graphql`
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}", "PATH": "/usr/bin:/bin"},
    ).stdout.split("\n")
    # then they are the standard library's and graphql-core's, not our folders
    assert out[0] == "Linux"
    assert out[1] == "graphql True"


def test_no_package_init_at_the_top_of_platform_or_graphql():
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert not (ROOT / "graphql" / "__init__.py").exists()
