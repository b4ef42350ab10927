"""Large output files are written out as soon as they are made, and the build's output is the same bytes as when
every file is held in memory (src/january20/outputs.py)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from january20 import outputs
from january20.build import build
from january20.publish.atomic import write_atomically
from january20.errors import January20Error
from january20.outputs import OutputFiles, sha256_of, size_of
from january20.resources import Project

ROOT = Path(__file__).resolve().parents[1]


def test_a_file_at_the_threshold_is_spooled_and_reads_back_as_its_bytes(tmp_path):
    files = OutputFiles(tmp_path, threshold=4)
    files["big.ttl"] = b"abcd"
    files["small.ttl"] = b"abc"
    assert files.spooled("big.ttl") is not None and files.spooled("small.ttl") is None
    assert files["big.ttl"] == b"abcd" and files["small.ttl"] == b"abc"
    assert size_of(files, "big.ttl") == 4
    assert sha256_of(files, "big.ttl") == hashlib.sha256(b"abcd").hexdigest()


def test_a_spooled_name_set_twice_keeps_its_latest_bytes(tmp_path):
    files = OutputFiles(tmp_path, threshold=1)
    files["a/b.nt"] = b"first"
    files["a/b.nt"] = b"second"
    assert files["a/b.nt"] == b"second"
    assert dict(files) == {"a/b.nt": b"second"}


def test_without_a_spool_every_file_stays_in_memory():
    files = OutputFiles(None, threshold=1)
    files["big.ttl"] = b"abcd"
    assert files.spooled("big.ttl") is None and files["big.ttl"] == b"abcd"


def test_build_with_every_file_spooled_writes_the_same_bytes_as_with_none(tmp_path, monkeypatch):
    held = tmp_path / "held"
    build(Project(ROOT), held, site=False)
    monkeypatch.setattr(outputs, "SPOOL_THRESHOLD", 1)
    spooled = tmp_path / "spooled"
    result = build(Project(ROOT), spooled, site=False)
    assert result.files.spooled("void.ttl") is not None  # void.ttl's checksums were taken from spooled files
    assert _contents(spooled) == _contents(held)


def test_spooled_files_of_a_build_still_read_back_after_it_returns(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "SPOOL_THRESHOLD", 1)
    result = build(Project(ROOT), tmp_path / "out", site=False)
    assert result.files["january20.ttl"] == (tmp_path / "out" / "january20.ttl").read_bytes()


def test_build_leaves_no_spool_folder_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "SPOOL_THRESHOLD", 1)
    build(Project(ROOT), tmp_path / "out", site=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failing_build_leaves_no_spool_folder_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "SPOOL_THRESHOLD", 1)
    (tmp_path / "out").write_text("a file where the output folder should be")
    with pytest.raises(January20Error):
        build(Project(ROOT), tmp_path / "out", site=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_spooled_file_is_linked_into_the_output_not_copied(tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    files = OutputFiles(spool, threshold=1)
    files["january20.nt"] = b"<a> <b> <c> .\n"
    write_atomically(files, tmp_path / "out")
    assert os.path.samefile(files.spooled("january20.nt").path, tmp_path / "out" / "january20.nt")


def test_an_unchanged_spooled_file_is_left_in_place_by_a_rebuild(tmp_path):
    out = tmp_path / "out"
    write_atomically({"january20.nt": b"<a> <b> <c> .\n"}, out)
    before = (out / "january20.nt").stat().st_ino
    spool = tmp_path / "spool"
    spool.mkdir()
    files = OutputFiles(spool, threshold=1)
    files["january20.nt"] = b"<a> <b> <c> .\n"
    write_atomically(files, out)
    assert (out / "january20.nt").stat().st_ino == before


def test_a_changed_spooled_file_of_the_same_size_replaces_the_old_one(tmp_path):
    out = tmp_path / "out"
    write_atomically({"january20.nt": b"<a> <b> <c> .\n", "void.ttl": b"x"}, out)
    spool = tmp_path / "spool"
    spool.mkdir()
    files = OutputFiles(spool, threshold=2)
    files["january20.nt"] = b"<a> <b> <d> .\n"
    files["void.ttl"] = b"x"
    write_atomically(files, out)
    assert (out / "january20.nt").read_bytes() == b"<a> <b> <d> .\n"


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_output_sets_spooling_into_one_folder_keep_their_own_files(tmp_path):
    first, second = OutputFiles(tmp_path, threshold=1), OutputFiles(tmp_path, threshold=1)
    first["january20.trig"] = b"trig"
    second["january20.jsonld"] = b"jsonld"
    first.adopt(second.entries())
    assert dict(first) == {"january20.trig": b"trig", "january20.jsonld": b"jsonld"}
