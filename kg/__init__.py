"""vnkg: Vietnamese party and state news in, an OWL-RL knowledge graph out.

Stages (each callable alone, chained only in :mod:`kg.pipeline`):
read (:mod:`kg.read`) → normalise (:mod:`kg.text`) → extract (:mod:`kg.extract`)
→ link (:mod:`kg.link`) → graph (:mod:`kg.graph`) → reason (:mod:`kg.reason`)
→ export (:mod:`kg.export`).

The Python API for notebooks (:mod:`kg.toolkit.api`): ``ds = kg.open("build/kg.trig")``,
``ds.query("members").to_pandas()``, ``ds.find(name)``, ``ds.facts(entity)``,
``kg.build(paths, output)``, ``kg.add(paths, output)``. It is imported on first use, so
``import kg`` stays cheap (no rdflib, pyoxigraph or pandas).
"""

import importlib as _importlib
import sys as _sys
import types as _types

__version__ = "0.1.0"

_API = ("open", "build", "Dataset", "Result", "Hit", "Fact", "Facts", "Evidence")


def __getattr__(name: str):
    if name in _API:
        from .toolkit import api
        return getattr(api, name)
    if name == "add":
        return _importlib.import_module("kg.add")  # importing it binds kg.add (made callable below)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list:
    return sorted({*globals(), *_API, "add"})


class _CallableModule(_types.ModuleType):
    """The module kg.add (`kg add`), callable as the API's ``kg.add(paths, output)``."""

    def __call__(self, *args, **kwargs):
        from .toolkit.api import add
        return add(*args, **kwargs)


class _Package(_types.ModuleType):
    """The package `kg`. ``kg.add`` names both a module (kg/add.py) and an API function; the
    import system binds the module as the package's attribute whenever it is imported, so
    that module is made callable as it is bound, and ``kg.add(paths, output)`` always works
    (``from kg.add import add`` and ``kg.add.journal`` too)."""

    def __setattr__(self, name: str, value) -> None:
        if name == "add" and type(value) is _types.ModuleType:
            value.__class__ = _CallableModule
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
