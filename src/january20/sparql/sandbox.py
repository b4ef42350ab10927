"""Where a query is evaluated: without the network where the platform allows it, on a stack deep enough, and in a
process whose crash is reported rather than suffered.

The query check (:mod:`january20.sparql.lexer`) refuses SERVICE before the engine sees a query; this is the second
layer, for the day the check is wrong. Oxigraph runs a SERVICE clause itself, over HTTP, and its Python API offers
no way to turn that off (0.5: no service handler to register), so the process that evaluates queries is moved into
a network namespace of its own (Linux: ``unshare(CLONE_NEWUSER | CLONE_NEWNET)``, which needs no privilege where
unprivileged user namespaces are allowed). There it has only a loopback interface that is down: every connection
fails at once, to any address. Elsewhere, or where user namespaces are forbidden, the query check is the only layer.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import traceback
from typing import Callable, TypeVar

from january20.errors import January20Error, Problem

T = TypeVar("T")

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
# The engine's parser and evaluator recurse: 8 MiB (the main thread's usual stack) overflows at about 2,000 nested
# braces or 2,500 OPTIONALs in a row. The query check caps nesting and length; this stack leaves room well past
# those caps (measured: a quarter of it holds 50,000 chained `+1`).
ENGINE_STACK_BYTES = 256 * 1024**2


def deny_network() -> str | None:
    """Cut this process off from the network, for good; None if done, else why it could not be.

    Must be called while the process has a single thread (the kernel refuses a new user namespace otherwise).
    """
    if not sys.platform.startswith("linux"):
        return f"no network namespaces on {sys.platform}"
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError) as exc:
        return f"unshare(2) is not available: {exc}"
    if unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        return f"unshare(CLONE_NEWUSER | CLONE_NEWNET) failed: {os.strerror(ctypes.get_errno())}"
    return None


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere nothing): an evaluation left
    behind by a killed `january20 query` or `serve` would otherwise run on, a cartesian product for ever."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def on_big_stack(work: Callable[[], T]) -> T:
    """Run ``work()`` in a thread with a stack of ENGINE_STACK_BYTES and return (or raise) what it did."""
    outcome: list = []

    def target() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            # The engine's objects may be dropped only on the thread that made them: free the frames that hold
            # them here, not when the caller lets go of the traceback.
            seen = exc
            while seen is not None:
                traceback.clear_frames(seen.__traceback__)
                seen = seen.__context__
            outcome.append((False, exc))

    with _STACK_SIZE_LOCK:  # threading.stack_size is process-wide: set it only for this thread's creation
        previous = threading.stack_size(ENGINE_STACK_BYTES)
        try:
            thread = threading.Thread(target=target, name="january20-engine")
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    ok, value = outcome[0]
    if ok:
        return value
    raise value


_STACK_SIZE_LOCK = threading.Lock()


def run_offline(work: Callable[[], T]) -> tuple[T, str | None]:
    """Run ``work()`` in a forked child cut off from the network; returns its result and why the network could not
    be denied (None if it was).

    A January20Error raised by ``work`` is raised here with the same type and problems. If the child dies (the
    engine crashing on a stack overflow, say), January20Error says so, naming the signal. Without fork, ``work``
    runs in this process, with the network.
    """
    if not hasattr(os, "fork"):
        return work(), f"no fork() on {sys.platform}"
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
        os.close(read)
        code = 0
        try:
            die_with_parent()
            why = deny_network()
            try:
                payload = pickle.dumps(("ok", work(), why), protocol=pickle.HIGHEST_PROTOCOL)
            except January20Error as exc:
                payload = pickle.dumps(("error", type(exc), exc.problems))
            except BaseException as exc:  # noqa: BLE001 - reported by the parent as a failure, by its text
                payload = pickle.dumps(("crash", f"{type(exc).__name__}: {exc}", None))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
    os.close(write)
    try:
        with os.fdopen(read, "rb") as pipe:
            payload = pipe.read()
    except BaseException:  # Ctrl-C, say: the child must not go on alone
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(pid, 0)
    if not payload:
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            raise January20Error(Problem("query", f"the query engine crashed ({_signal_name(number)}) on this query; "
                                                  "nothing was answered"))
        raise January20Error(Problem("query", f"the query engine stopped without an answer (exit status "
                                              f"{os.waitstatus_to_exitcode(status)})"))
    kind, value, extra = pickle.loads(payload)
    if kind == "ok":
        return value, extra
    if kind == "error":
        raise value(extra)
    raise January20Error(Problem("query", f"the query engine failed: {value}"))


def _signal_name(number: int) -> str:
    try:
        return f"signal {number}, {signal.Signals(number).name}"
    except ValueError:
        return f"signal {number}"
