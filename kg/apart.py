"""Run a function in a forked child process and take back its result, its log lines and its errors.

`kg build` runs its stages this way before it makes the on-disk store (:func:`kg.pipeline.build`):
what the stages hold (people, the reasoner's closure, the caches of the term makers) is returned to
the system when the child exits — a process gives back little of what it freed (CPython keeps an
arena while one object in it lives) — so the store's bulk loader, which takes its own memory,
starts beside a lean process instead of one that still holds the stages'.

The child sends what the function logs, line by line as it comes, then its result or its error,
pickled, through a pipe; the caller's `log` gets the lines in the caller's process (a test's list,
the API's callback). The kernel kills the child when the thread that forked it ends
(``PR_SET_PDEATHSIG``), so a killed build leaves no child behind that could still rename a file
into place; an interrupted or failing caller kills it and reaps it.
"""
from __future__ import annotations

import ctypes
import os
import pickle
import signal
import sys
import traceback
from typing import Callable, TypeVar

from .errors import KgError

T = TypeVar("T")
Log = Callable[[str], None]

PR_SET_PDEATHSIG = 1


def available() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def run(fn: Callable[[Log], T], log: Log) -> T:
    """`fn(log)` in a forked child: its result, or its error raised here; `log` gets its lines here."""
    for stream in (sys.stdout, sys.stderr):  # nothing buffered before the fork is written twice
        stream.flush()
    read, write, parent = *os.pipe(), os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        _child(fn, write, parent)
    os.close(write)
    try:
        with os.fdopen(read, "rb") as messages:
            return _received(messages, pid, log)
    except BaseException:
        _kill(pid)
        raise
    finally:
        _reap(pid)


def _received(messages, pid: int, log: Log):
    while True:
        try:
            kind, value = pickle.load(messages)
        except EOFError:
            raise KgError(f"the build's process (pid {pid}) ended without a result ({_ended(pid)})") from None
        if kind == "log":
            log(value)
        elif kind == "result":
            return value
        else:
            raise value


def _child(fn: Callable[[Log], object], fd: int, parent: int) -> None:
    status = 0
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the caller died before the kernel was told
            raise SystemExit(1)
        with os.fdopen(fd, "wb") as out:
            def send(kind: str, value: object) -> None:
                pickle.dump((kind, value), out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
            try:
                send("result", fn(lambda line: send("log", line)))
            except BaseException as exc:  # noqa: BLE001 — every error goes to the caller, as it would in-process
                send("error", _portable(exc))
    except BaseException:  # noqa: BLE001 — the pipe itself failed: the caller reports the child's end
        status = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(status)


def _portable(exc: BaseException) -> BaseException:
    """`exc` if it survives pickling as itself; otherwise a KgError carrying its type, message and traceback."""
    try:
        back = pickle.loads(pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL))
        if type(back) is type(exc) and str(back) == str(exc):
            return exc
    except Exception:  # noqa: BLE001 — any failure to round-trip means: send its text instead
        pass
    text = "".join(traceback.format_exception(exc)).rstrip()
    return KgError(f"{type(exc).__name__}: {exc}\n{text}")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _ended(pid: int) -> str:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "its end not known"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return f"killed by {signal.Signals(sig).name}" + (" — out of memory?" if sig == signal.SIGKILL else "")
    return f"exit status {os.WEXITSTATUS(status)}"
