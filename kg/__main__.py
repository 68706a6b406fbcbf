"""`kg` as a process of its own: the `kg` command and ``python -m kg`` run :func:`kg.cli.main`,
then freeze what the command made (:func:`gc.freeze`), so the cyclic collector does not walk it
all once more as the process ends — `kg add` reads back tens of thousands of earlier mentions,
and walking them at the end took 0.05 s of a one-second addition. Done here rather than in
:func:`kg.cli.main`, which the tests and other programs call inside their own process."""
from __future__ import annotations

import gc
import sys


def main() -> int:
    from .cli import main as run
    try:
        return run()
    finally:
        gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
