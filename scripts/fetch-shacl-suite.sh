#!/usr/bin/env bash
# Fetch the W3C SHACL test suite (core and SPARQL) that tests/test_w3c_shacl_suite.py runs `january20 validate`
# over: pySHACL's source distribution on PyPI ships it (test/resources/sht_tests/), for the pySHACL installed.
# It is unpacked into .cache/shacl-w3c/pyshacl-<version>/ (outside git), once; nothing is copied into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(python3 -c 'from importlib.metadata import version; print(version("pyshacl"))')
dest=.cache/shacl-w3c/pyshacl-$version
if [[ -f $dest/core/manifest.ttl && -f $dest/sparql/manifest.ttl ]]; then
    exit 0
fi
mkdir -p .cache/shacl-w3c
work=$(mktemp -d .cache/shacl-w3c/download.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: "pyshacl==$version" \
    -d "$work"
shopt -s nullglob
archives=("$work"/pyshacl-*.tar.gz)
if (( ${#archives[@]} != 1 )); then
    echo "fetch-shacl-suite: expected one source archive of pyshacl $version, found ${#archives[@]}" >&2
    exit 1
fi
tar -xzf "${archives[0]}" -C "$work" --wildcards '*/test/resources/sht_tests/*'
suite=("$work"/*/test/resources/sht_tests)
rm -rf "$dest"
mv "${suite[0]}" "$dest"
echo "fetch-shacl-suite: the W3C SHACL test suite of pyshacl $version is in $dest"
