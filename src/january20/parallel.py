"""Run part of the build in a second process, on the machine's second core.

The writers are pure Python, so threads would take turns on one core, and pyoxigraph keeps the interpreter lock while
it loads or queries (measured: a query in a thread and a Python loop take the sum of their times). A forked child
shares the parent's graph without copying or pickling it; it pickles back only what it returns.

The price is memory: the child writes to the reference counts of the objects it reads, so the pages holding them
are copied. ``benchmarks/measure.py`` counts the child's memory with the parent's.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from typing import Callable, Generic, TypeVar

T = TypeVar("T")

_DIED = "the build's second process ended without an answer"


def can_fork() -> bool:
    """Whether a second process is worth it: fork exists and this process may run on more than one core."""
    if not hasattr(os, "fork"):
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:
        return (os.cpu_count() or 1) > 1


class Forked(Generic[T]):
    """``work()`` started in a forked child; :meth:`result` waits for it and returns what it returned, or raises
    what it raised. A Forked must be ended by :meth:`result` or :meth:`cancel` (the child is killed)."""

    def __init__(self, work: Callable[[], T]) -> None:
        sys.stdout.flush()  # what the parent has buffered must not be written twice, once by each process
        sys.stderr.flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read)
            _run_child(work, write)
        os.close(write)
        self._pid: int | None = pid
        self._read = read

    def result(self) -> T:
        with os.fdopen(self._read, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if not payload:
            why = f"killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else \
                f"exit status {os.waitstatus_to_exitcode(status)}"
            raise RuntimeError(f"{_DIED} ({why})")
        ok, value = pickle.loads(payload)
        if ok:
            return value
        raise value

    def cancel(self) -> None:
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self._pid, 0)
        os.close(self._read)
        self._pid = None


def _run_child(work: Callable[[], object], write: int) -> None:
    code = 0
    try:
        try:
            payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - whatever it is, the parent raises it
            payload = _pickled_error(exc)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    except BaseException:  # noqa: BLE001 - the parent reports a child that ended without an answer
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers, no cleanup of its temp folders


def _pickled_error(exc: BaseException) -> bytes:
    try:
        return pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled is sent as its type and message
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
