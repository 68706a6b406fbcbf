"""What CI checks besides the unit tests: `kg validate` passes on the seeds build, and the
installed dependencies are at or above the first release free of each known advisory.

pip-audit needs the network to fetch advisories, which CI does not have; so the advisories
that concern this project's dependencies are written down here (checked against the GitHub
Advisory Database / OSV when the floors were set), as minimum versions that pyproject.toml
must require and the environment must satisfy. A new advisory means a new row.
"""
from __future__ import annotations

import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from kg.cli import main
from conftest import ROOT

# distribution, first safe release, the advisories below it
FLOORS = [
    ("flask", "3.1.3", "CVE-2026-27205 (session without Vary: Cookie), CVE-2025-47278 (fallback key)"),
    ("werkzeug", "3.1.6", "CVE-2026-27199, CVE-2026-21860, CVE-2025-66221 (safe_join and Windows device names); "
     "CVE-2024-49767 (multipart memory), CVE-2024-49766, CVE-2024-34069 (debugger)"),
    ("jinja2", "3.1.6", "CVE-2025-27516, CVE-2024-56326, CVE-2024-56201 (sandbox escapes)"),
    ("gunicorn", "23.0.0", "CVE-2024-6827, CVE-2024-1135 (request smuggling through Transfer-Encoding)"),
    ("rdflib", "7.1", "none known to OSV; the floor the code needs (Dataset API)"),
    ("pdfminer.six", "20260107", "CVE-2025-64512, CVE-2025-70559 (arbitrary code through pickled CMaps)"),
]


@pytest.mark.parametrize("name, floor, why", FLOORS, ids=[f[0] for f in FLOORS])
def test_installed_version_is_past_the_advisories(name, floor, why):
    assert Version(version(name)) >= Version(floor), f"{name} {version(name)} < {floor}: {why}"


def _declared() -> dict[str, SpecifierSet]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(line) for line in project["dependencies"]]
    return {r.name.lower(): r.specifier for r in requirements}


@pytest.mark.parametrize("name, floor, why", FLOORS, ids=[f[0] for f in FLOORS])
def test_pyproject_requires_the_floor(name, floor, why):
    declared = _declared()
    assert name in declared, f'add "{name}>={floor}" to [project] dependencies ({why})'
    assert _lowest_allowed(declared[name]) >= Version(floor), \
        f'pyproject allows {name}{declared[name]}; require "{name}>={floor}" ({why})'


def _lowest_allowed(spec: SpecifierSet) -> Version:
    floors = [Version(s.version) for s in spec if s.operator in (">=", "==", "~=", ">")]
    return max(floors) if floors else Version("0")


def test_kg_validate_passes_on_the_seeds_build(seeds_build, capsys):
    assert main(["validate", "--graph", str(seeds_build)]) == 0
    report = capsys.readouterr().err
    assert "conforms: yes" in report and "shape violations: 0" in report
