"""Throwaway copies of the project (data/, ontology/, shapes/) that a test may break without touching the checkout,
and the command line run as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from january20.resources import Project

ROOT = Path(__file__).resolve().parents[2]
FACTS = Path("data/sources/caliber-az-20-january-commemoration/facts.yaml")


def copy_project(dest: Path) -> Project:
    for folder in ("data", "ontology", "shapes"):
        shutil.copytree(ROOT / folder, dest / folder)
    return Project(dest)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under ``folder``, by relative path: equal snapshots are byte-identical."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def cli(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen | subprocess.CompletedProcess:
    """``january20 ARGS`` in a fresh interpreter, as a user runs it."""
    command = [sys.executable, "-c", "from january20.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120,
                          **kwargs)


def cli_popen(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    command = [sys.executable, "-c", "from january20.cli import main; main()", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def require_tool(name: str, package: str) -> str:
    """The path of a Debian tool; skip without it, unless CI (J20_REQUIRE_SYSTEM_TOOLS) demands it: then fail."""
    import pytest

    found = shutil.which(name)
    if found is None:
        reason = f"{name} not found on PATH (install {package} with scripts/install-system-deps.sh)"
        if os.environ.get("J20_REQUIRE_SYSTEM_TOOLS", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{reason} -- J20_REQUIRE_SYSTEM_TOOLS is set, so a missing tool is a failure")
        pytest.skip(reason)
    return found
