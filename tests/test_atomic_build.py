"""Nothing lost: a build that fails or is killed leaves the previous output byte for byte.

The build writes a complete new output folder beside the old one and swaps the two in one rename. These tests kill
real `january20 build` processes with SIGKILL at several moments (including the riskiest, with the new output
complete and the old one not yet replaced, held there by the test-only J20_TEST_PAUSE_BEFORE_REPLACE hook) and
compare every byte of the output folder with what was there before.
"""

from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path

import pytest

from january20.build import build
from january20.publish.atomic import write_atomically
from january20.errors import January20Error
from january20.resources import Project

try:
    from tests.support.project import FACTS, ROOT, cli, cli_popen, copy_project, snapshot
except ImportError:
    from support.project import FACTS, ROOT, cli, cli_popen, copy_project, snapshot

OLD_BASE = "https://example.org/previous-build/"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """A previous build (under another base IRI, every file marked, so that old and new differ in every file) and
    the new one."""
    root = tmp_path_factory.mktemp("outputs")
    old, new = root / "old", root / "new"
    assert cli("build", "--out", str(old), "--base", OLD_BASE).returncode == 0
    assert cli("build", "--out", str(new)).returncode == 0
    # Some outputs (the context) do not depend on the base; mark every old file so that no byte survives by chance.
    previous = {name: (None if data is None else data + b"\n(previous build)\n")
                for name, data in snapshot(old).items()}
    return previous, snapshot(new)


def _previous_build(tmp_path: Path, outputs) -> Path:
    out = tmp_path / "build"
    out.mkdir()
    for name, data in outputs[0].items():
        if data is None:
            (out / name).mkdir()
        else:
            (out / name).write_bytes(data)
    return out


def _leftovers(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.january20-*"))


def test_a_build_killed_before_the_replace_leaves_the_previous_output_byte_identical(tmp_path, outputs):
    out = _previous_build(tmp_path, outputs)
    process = cli_popen("build", "--out", str(out), env={"J20_TEST_PAUSE_BEFORE_REPLACE": "60"})
    line = process.stderr.readline()
    assert "paused before replacing" in line, line
    assert _leftovers(out), "the new output should be complete beside the old one by now"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert snapshot(out) == outputs[0]


def test_a_build_killed_while_writing_leaves_the_previous_output_byte_identical(tmp_path, outputs):
    out = _previous_build(tmp_path, outputs)
    process = cli_popen("build", "--out", str(out))
    deadline = time.monotonic() + 60
    while not _leftovers(out) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    if process.returncode != -signal.SIGKILL:
        pytest.skip("the build finished before the test could see it writing")
    assert snapshot(out) == outputs[0]


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.2, 1.6, 2.0])
def test_a_build_killed_at_any_moment_leaves_one_whole_output(tmp_path, outputs, delay):
    out = _previous_build(tmp_path, outputs)
    process = cli_popen("build", "--out", str(out))
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = snapshot(out)
    assert after == outputs[0] or after == outputs[1], "the output folder mixes the previous and the new build"


def test_the_next_build_removes_what_a_killed_build_left_behind(tmp_path, outputs):
    out = _previous_build(tmp_path, outputs)
    process = cli_popen("build", "--out", str(out), env={"J20_TEST_PAUSE_BEFORE_REPLACE": "60"})
    process.stderr.readline()
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _leftovers(out)
    assert cli("build", "--out", str(out)).returncode == 0
    assert _leftovers(out) == []
    assert snapshot(out) == outputs[1]


def test_a_build_that_fails_on_the_facts_leaves_the_previous_output_byte_identical(tmp_path, outputs):
    out = _previous_build(tmp_path, outputs)
    project = copy_project(tmp_path / "project")
    facts = project.root / FACTS
    facts.write_text(facts.read_text(encoding="utf-8").replace("value: 131", "value: eighty", 1), encoding="utf-8")
    with pytest.raises(January20Error):
        build(project, out)
    assert snapshot(out) == outputs[0]
    assert _leftovers(out) == []


def test_a_build_that_fails_validation_leaves_the_previous_output_byte_identical(tmp_path, outputs):
    out = _previous_build(tmp_path, outputs)
    project = copy_project(tmp_path / "project")
    (project.shapes_dir / "impossible.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
        "<https://example.org/shape/impossible> a sh:NodeShape ; sh:targetClass dcat:Dataset ;\n"
        "  sh:property [ sh:path <https://example.org/never-stated> ; sh:minCount 1 ] .\n", encoding="utf-8")
    with pytest.raises(January20Error):
        build(project, out)
    assert snapshot(out) == outputs[0]


def test_files_no_longer_produced_are_removed_with_the_replace(tmp_path):
    out = tmp_path / "build"
    write_atomically({"january20.ttl": b"old", "site/index.html": b"<p>old", "events/a.ttl": b"a"}, out)
    write_atomically({"january20.ttl": b"new", "events/b.ttl": b"b"}, out)
    assert snapshot(out) == {"events": None, "events/b.ttl": b"b", "january20.ttl": b"new"}


def test_a_rebuild_over_a_previous_output_with_stale_files_equals_a_fresh_build(tmp_path, outputs):
    out = _previous_build(tmp_path, outputs)
    # What a build of an earlier version of the data wrote and this one does not: a renamed event's document, the
    # pages of a resource that is gone, in a folder this build does not make.
    (out / "events" / "renamed-event.jsonld").write_text("{}")
    (out / "site" / "vanished").mkdir()
    (out / "site" / "vanished" / "thing.html").write_text("<p>gone")
    (out / "site" / "place" / "gone.ttl").write_text("")
    build(Project(ROOT), out)
    assert snapshot(out) == outputs[1]


def _inodes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_ino for p in sorted(folder.rglob("*"))}


FILES = {"january20.ttl": b"t", "site/index.html": b"<p>", "site/place/baku.html": b"<p>baku"}


def test_a_rebuild_that_changes_nothing_leaves_every_file_in_place(tmp_path):
    out = tmp_path / "build"
    write_atomically(FILES, out)
    before = _inodes(out)
    write_atomically(dict(FILES), out)
    assert _inodes(out) == before
    assert {k: v for k, v in snapshot(out).items() if v is not None} == FILES


def test_a_rebuild_reuses_the_files_it_does_not_change_and_equals_a_fresh_write(tmp_path):
    out, fresh = tmp_path / "build", tmp_path / "fresh"
    write_atomically(FILES, out)
    before = _inodes(out)
    changed = {**FILES, "site/index.html": b"<p>new"}
    write_atomically(changed, out)
    write_atomically(changed, fresh)
    assert snapshot(out) == snapshot(fresh)
    after = _inodes(out)
    assert after["site/place/baku.html"] == before["site/place/baku.html"]
    assert after["site/index.html"] != before["site/index.html"]


def test_a_previous_file_with_another_name_elsewhere_is_written_anew_not_shared(tmp_path):
    out = tmp_path / "build"
    write_atomically(FILES, out)
    os.link(out / "january20.ttl", tmp_path / "backup.ttl")
    write_atomically({**FILES, "site/index.html": b"<p>new"}, out)
    assert (out / "january20.ttl").stat().st_ino != (tmp_path / "backup.ttl").stat().st_ino
    assert (out / "january20.ttl").stat().st_nlink == 1


@pytest.mark.parametrize("change", ["same-size edit", "extra file", "extra empty folder", "missing file",
                                    "file mode", "folder mode", "symlink"])
def test_a_previous_output_differing_in_any_way_is_replaced_whole(tmp_path, change):
    out = tmp_path / "build"
    write_atomically(FILES, out)
    fresh = snapshot(out)
    page = out / "site" / "place" / "baku.html"
    if change == "same-size edit":
        page.write_bytes(b"<p>bak!")
    elif change == "extra file":
        (out / "site" / "place" / "gone.html").write_bytes(b"")
    elif change == "extra empty folder":
        (out / "site" / "gone").mkdir()
    elif change == "missing file":
        page.unlink()
    elif change == "file mode":
        os.chmod(page, 0o600)
    elif change == "folder mode":
        os.chmod(page.parent, 0o700)
    else:
        (out / "elsewhere.html").write_bytes(page.read_bytes())
        page.unlink()
        page.symlink_to(out / "elsewhere.html")
    write_atomically(dict(FILES), out)
    assert snapshot(out) == fresh
    assert page.is_file() and not page.is_symlink()
    assert stat.S_IMODE(page.stat().st_mode) == stat.S_IMODE((out / "january20.ttl").stat().st_mode)
    assert stat.S_IMODE(page.parent.stat().st_mode) == stat.S_IMODE((out / "site").stat().st_mode)


def test_nested_output_folders_are_written_whole(tmp_path):
    out = tmp_path / "build"
    files = {"january20.ttl": b"t", "site/index.html": b"<p>", "site/place/baku/index.html": b"<p>baku"}
    write_atomically(files, out)
    assert {k: v for k, v in snapshot(out).items() if v is not None} == files


def test_a_folder_that_is_not_a_previous_build_is_never_replaced(tmp_path):
    precious = tmp_path / "project"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    with pytest.raises(January20Error, match="holds no previous output"):
        write_atomically({"january20.ttl": b"t"}, precious)
    assert snapshot(precious) == {"notes.txt": b"mine"}


def test_a_project_is_never_replaced_even_where_it_has_a_file_of_an_output_name(tmp_path, outputs):
    project = copy_project(tmp_path / "project")
    (project.root / "pyproject.toml").write_text("[project]\nname = 'mine'\n")
    (project.root / "january20.ttl").write_text("a file of an output's name")
    before = snapshot(project.root)
    result = cli("build", "--out", str(project.root))
    assert result.returncode == 1 and "it holds pyproject.toml, so it is a project" in result.stderr
    assert snapshot(project.root) == before


def test_the_current_folder_is_never_replaced(tmp_path, outputs):
    out = _previous_build(tmp_path, outputs)
    result = cli("build", "--out", ".", cwd=out)
    assert result.returncode == 1 and "refusing to replace the current folder" in result.stderr
    assert snapshot(out) == outputs[0]


def test_the_output_folder_keeps_its_permissions(tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    (out / "january20.ttl").write_bytes(b"old")
    os.chmod(out, 0o750)
    write_atomically({"january20.ttl": b"new"}, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o750


def test_an_output_name_outside_the_folder_is_refused(tmp_path):
    with pytest.raises(ValueError):
        write_atomically({"../escaped.ttl": b"x"}, tmp_path / "build")
    assert not (tmp_path / "escaped.ttl").exists()


def _without_exchange(monkeypatch) -> None:
    """As on a kernel or filesystem without renameat2(RENAME_EXCHANGE): the swap falls back to two renames."""
    from january20.publish import atomic
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)


def test_without_the_atomic_exchange_a_rebuild_replaces_the_output_whole(tmp_path, monkeypatch):
    _without_exchange(monkeypatch)
    out = tmp_path / "build"
    write_atomically({"january20.ttl": b"old", "events/a.ttl": b"a"}, out)
    write_atomically({"january20.ttl": b"new", "events/b.ttl": b"b"}, out)
    assert snapshot(out) == {"january20.ttl": b"new", "events": None, "events/b.ttl": b"b"}
    assert _leftovers(out) == []


def test_a_build_killed_between_the_fallbacks_two_renames_gets_the_previous_output_back(tmp_path):
    # The state that kill leaves: no output folder, the previous one set aside under a dead build's name.
    out = tmp_path / "build"
    aside = tmp_path / f".build.january20-{_a_dead_pid()}-x-previous"
    aside.mkdir()
    (aside / "january20.ttl").write_bytes(b"previous")
    previous_file = (aside / "january20.ttl").stat().st_ino
    write_atomically({"january20.ttl": b"previous"}, out)  # the same output again: the folder is kept as it is
    assert (out / "january20.ttl").stat().st_ino == previous_file
    assert _leftovers(out) == []


def _a_dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid
