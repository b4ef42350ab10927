"""On a large graph the N-Triples and JSON-LD are made in a second, forked process (src/january20/parallel.py): the
outputs are the same bytes, its errors are the build's errors, and no process is left behind."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from january20 import build as build_module
from january20.build import render
from january20.parallel import Forked, can_fork
from january20.resources import Project

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is needed for a second process")


def _children() -> list[int]:
    with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as fh:
        return [int(p) for p in fh.read().split()]


def test_forked_work_runs_in_another_process_and_returns_its_value():
    assert Forked(lambda: (os.getpid(), ["a", b"b", 3])).result()[1] == ["a", b"b", 3]
    assert Forked(os.getpid).result() != os.getpid()


def test_an_exception_in_forked_work_is_raised_by_result():
    def work():
        raise ValueError("the frame matches no node")
    with pytest.raises(ValueError, match="the frame matches no node"):
        Forked(work).result()


def test_forked_work_that_dies_without_an_answer_is_a_clear_error():
    with pytest.raises(RuntimeError, match="second process ended without an answer .exit status 3"):
        Forked(lambda: os._exit(3)).result()


def test_an_answer_that_cannot_be_pickled_is_raised_as_that_error():
    with pytest.raises((pickle.PicklingError, AttributeError), match="pickle"):
        Forked(lambda: (lambda: None)).result()


def test_cancelled_forked_work_leaves_no_process():
    import time
    forked = Forked(lambda: time.sleep(60))
    forked.cancel()
    assert _children() == []


def _parallel(monkeypatch) -> list:
    """Make the build use a second process even for the seed, and record that it did."""
    started = []

    class Recording(Forked):
        def __init__(self, work):
            started.append(work)
            super().__init__(work)
    monkeypatch.setattr(build_module, "PARALLEL_MIN_TRIPLES", 0)
    monkeypatch.setattr(build_module, "can_fork", lambda: True)
    monkeypatch.setattr(build_module, "Forked", Recording)
    return started


def test_outputs_made_in_a_second_process_are_the_same_bytes(monkeypatch, rendered):
    started = _parallel(monkeypatch)
    result = render(Project(ROOT))
    assert started, "the build did not use a second process"
    assert dict(result.files) == dict(rendered.files)


def test_an_error_in_the_second_process_is_the_builds_error(monkeypatch):
    def failing(*args, **kwargs):
        raise ValueError("the frame matches no node https://example.org/x in the graph")
    monkeypatch.setattr(build_module, "to_framed_jsonld", failing)
    with pytest.raises(ValueError) as serial:
        render(Project(ROOT), site=False)
    started = _parallel(monkeypatch)
    with pytest.raises(ValueError) as parallel:
        render(Project(ROOT), site=False)
    assert started and str(parallel.value) == str(serial.value)


def test_a_failure_in_the_first_process_stops_the_second(monkeypatch):
    _parallel(monkeypatch)

    def failing(*args, **kwargs):
        raise RuntimeError("validation broke")
    monkeypatch.setattr(build_module, "validate_graph", failing)
    with pytest.raises(RuntimeError, match="validation broke"):
        render(Project(ROOT), site=False)
    assert _children() == []


def test_a_second_process_is_used_only_where_it_can_run_beside_the_first():
    assert can_fork() == (len(os.sched_getaffinity(0)) > 1)
