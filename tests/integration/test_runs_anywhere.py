"""A clone with nothing beside it runs the unit suite: tests that need ../shared skip, naming the file.

The repository is cloned (`git clone`, so only committed files: in CI the checkout is itself a fresh
clone of main, so this is what a newcomer gets) into a temporary folder with no `shared/` beside it,
and the clone's own unit suite runs there with this interpreter. No Neo4j is needed. The project is
pip-installed in editable mode pointing at this checkout, so the clone's own packages are put first
on the path and a probe checks that they, not this checkout's, are the ones imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from mdskg.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow  # a minute or so: `-m "not slow"` leaves it out; `make test` runs it

PACKAGES = ("mdskg.settings", "etl", "graph", "service", "ontology", "bench", "tests.shared_data")
PROBE = ("import importlib, json; import tests.shared_data as s; "
         f"print(json.dumps({{'files': {{n: importlib.import_module(n).__file__ for n in {PACKAGES!r}}}, "
         "'shared': str(s.SHARED)}))")


def tail(text: str, limit: int = 6000) -> str:
    return text if len(text) <= limit else "…" + text[-limit:]


@pytest.fixture(scope="module")
def bare_clone(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (PROJECT_ROOT / ".git").exists():
        pytest.skip(f"{PROJECT_ROOT} is not a git checkout, so there is nothing to clone")
    workdir = tmp_path_factory.mktemp("runs-anywhere")
    clone = workdir / "clone"
    done = subprocess.run(["git", "clone", "--quiet", str(PROJECT_ROOT), str(clone)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not (workdir / "shared").exists()
    env = {k: v for k, v in os.environ.items() if k != "MDSKG_SHARED_DIR" and not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = str(clone)  # the clone's packages before the editable install's finder
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return clone, env


def test_the_clone_imports_its_own_code_and_has_no_shared_data(bare_clone):
    clone, env = bare_clone
    probe = subprocess.run([sys.executable, "-c", PROBE], cwd=clone, env=env, capture_output=True, text=True,
                           timeout=300)
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout)
    for name, file in seen["files"].items():
        assert file.startswith(str(clone) + os.sep), f"{name} came from {file}, not from the clone {clone}"
    assert seen["shared"] == str(clone.parent / "shared")


def test_unit_suite_passes_in_a_clone_without_shared_data(bare_clone):
    clone, env = bare_clone
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/unit", "-q", "-p", "no:cacheprovider", "-rs"],
                         cwd=clone, env=env, capture_output=True, text=True, timeout=1800)
    output = run.stdout + run.stderr
    assert run.returncode == 0, tail(output)
    summary = output.strip().splitlines()[-1]
    assert " passed" in summary and " skipped" in summary, summary
    assert "needs shared test data data/" in output  # each skip names the file it needs
    assert str(clone.parent / "shared") in output  # …and where it looked: beside the clone, not this checkout
    assert "error" not in summary, summary
