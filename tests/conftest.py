"""Shared fixtures: built datasets, made once per session in temporary folders."""
from pathlib import Path

import pytest

from kg.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEVSET = Path(__file__).resolve().parent / "devset"
SEEDS_GOLD = Path(__file__).resolve().parent / "data" / "seeds.gold.json"


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "kg.trig"
    build([SEEDS], out, log=lambda line: None)
    return out


@pytest.fixture(scope="session")
def devset_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("devset") / "kg.trig"
    build([DEVSET], out, log=lambda line: None)
    return out
