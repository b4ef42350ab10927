"""Debian tools in tests: skip without them on a developer's machine, fail without them in CI.

CI sets J20_REQUIRE_SYSTEM_TOOLS=1, so a missing install step shows up as a failure instead of hiding behind a skip.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest


def system_tools_required() -> bool:
    return os.environ.get("J20_REQUIRE_SYSTEM_TOOLS", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> NoReturn:
    if system_tools_required():
        pytest.fail(f"{reason} -- J20_REQUIRE_SYSTEM_TOOLS is set, so a missing tool is a failure "
                    "(run scripts/install-system-deps.sh)")
    pytest.skip(reason)


def require_tool(name: str, package: str) -> str:
    """The path of a Debian tool, or a skip (a failure in CI) naming the package that provides it."""
    found = shutil.which(name)
    if found is None:
        skip_or_fail(f"{name} not found on PATH (install {package} with scripts/install-system-deps.sh)")
    return found
