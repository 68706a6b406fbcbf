"""Helpers of the scale tests: the benchmark corpus generator (benchmarks/ is not an installed
package, so its folder's parent goes on the path here, once) and small corpora."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import article, write_corpus  # noqa: E402



def memory_kib(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in KiB ("VmRSS", "RssFile", …)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/self/status")


__all__ = ["ROOT", "article", "memory_kib", "write_corpus"]
