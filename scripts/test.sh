#!/usr/bin/env bash
# Install everything the tests need (Debian tools, the package with its test extras) and run the whole suite.
# This is the README's test command, and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
# The W3C SHACL test suite, from pySHACL's source distribution on PyPI, into .cache/ (not in git).
bash scripts/fetch-shacl-suite.sh
# pytest exits 5 when it collected no tests: that is a failure here, as is any other non-zero code.
exec python3 -m pytest "$@"
