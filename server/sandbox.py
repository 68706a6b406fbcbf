"""No network for query processes: a seccomp filter installed in each one as it starts.

The query check (:mod:`kg.sparql_service`) refuses SERVICE however an engine reads the text;
this is the second wall, which holds whatever the query says and whatever the engine does
with it. :func:`forbid_network` installs a seccomp-BPF filter in the calling process (and
every process it forks later) under which

* ``socket()`` of any family but ``AF_UNIX`` fails with ``EACCES`` — no TCP, UDP, raw or
  packet socket, so no connection and no DNS lookup can be made (the pipes to the server
  are Unix sockets and pipes, which go on working);
* ``io_uring_setup()`` fails with ``EPERM`` (its operations would not pass through the filter);
* a system call of another ABI (x32, or 32-bit calls on a 64-bit kernel) fails with ``EPERM``.

Everything else is allowed: the filter is a wall for the network, not a general sandbox
(file access is the store's, memory and time are capped by :mod:`server.pool`). Linux on
x86-64 or AArch64 only; elsewhere :class:`SandboxUnavailable`. ``no_new_privs`` is set first,
as the kernel requires of a process without CAP_SYS_ADMIN.
"""
from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
# BPF instructions used: load a word of seccomp_data, jump if equal / greater or equal, return
LD_ABS, JEQ, JGE, RET = 0x20, 0x15, 0x35, 0x06
# offsets in struct seccomp_data: nr, arch, then args[0] at 16 (its low word, little-endian)
NR, ARCH, ARG0 = 0, 4, 16
X32_BIT = 0x40000000

# machine → (audit arch, socket, io_uring_setup, whether x32 calls must be caught)
ARCHES = {
    "x86_64": (0xC000003E, 41, 425, True),
    "aarch64": (0xC00000B7, 198, 425, False),
}


class SandboxUnavailable(OSError):
    """The filter cannot be installed here (another machine, or the kernel refused it)."""


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def program(machine: str) -> bytes:
    """The BPF program for `machine` (``platform.machine()``), as the kernel reads it."""
    if machine not in ARCHES:
        raise SandboxUnavailable(f"no network filter for {machine!r} machines (known: {', '.join(ARCHES)})")
    arch, nr_socket, nr_uring, x32 = ARCHES[machine]
    deny = _op(RET, RET_ERRNO | errno.EPERM)
    ops = [_op(LD_ABS, ARCH), _op(JEQ, arch, jt=1), deny, _op(LD_ABS, NR)]
    if x32:
        ops += [_op(JGE, X32_BIT, jf=1), deny]
    ops += [_op(JEQ, nr_uring, jf=1), deny,
            _op(JEQ, nr_socket, jt=1), _op(RET, RET_ALLOW),
            _op(LD_ABS, ARG0), _op(JEQ, socket.AF_UNIX, jf=1), _op(RET, RET_ALLOW),
            _op(RET, RET_ERRNO | errno.EACCES)]
    return b"".join(ops)


class _Fprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def forbid_network() -> None:
    """Install the filter in this process for good (it cannot be lifted); raise
    SandboxUnavailable when the machine or the kernel does not allow it."""
    code = program(platform.machine())
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(code, len(code))
    prog = _Fprog(len(code) // 8, ctypes.addressof(buffer))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(NO_NEW_PRIVS) failed: {errno.errorcode.get(ctypes.get_errno())}")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(SECCOMP) failed: {errno.errorcode.get(ctypes.get_errno())}")
