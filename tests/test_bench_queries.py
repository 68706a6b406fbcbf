"""The benchmark's competency-question phase (`python -m benchmarks.run --phases queries`) runs on a
built dataset: each question's first page, and the whole answer beside `kg query`'s path."""
import shutil

from benchmarks.run import bench_queries
from kg import config


def test_every_question_is_timed_on_a_built_dataset(seeds_build, tmp_path):
    out = tmp_path / "kg.trig"
    shutil.copy(seeds_build, out)
    questions = sorted(p.stem for p in config.CQ_DIR.glob("*.rq"))
    pages = bench_queries(out, 5, 0, 3, whole=False)
    assert [r["cq"] for r in pages] == questions
    assert all(r["limit100_p50_ms"] > 0 and r["limit100_engine_p50_ms"] > 0 and r["limit100_csv_p50_ms"] > 0
               and r["runs"] == 3 for r in pages)
    whole = bench_queries(out, 5, 0, 3)
    assert [r["cq"] for r in whole] == questions
    assert all(r["engine_p50_ms"] > 0 and r["kg_query_p50_ms"] > 0 for r in whole)
    assert sum(r["rows"] for r in whole) > 100
