"""The entity-page benchmark (`python -m benchmarks.pages`) runs on a built dataset: the hubs
and people it picks are answered, as HTML and as Turtle, and found by search, and timed."""
from benchmarks.pages import measure


def test_hubs_and_people_are_answered_and_timed(seeds_build):
    result = measure(seeds_build, 2, 1, 1, ["inferred", "links", "ontology", "tenures", "source", "whole"])
    pages = result["pages"]
    assert len(pages) == 6 and {p["as"] for p in pages} == {"html", "turtle"}
    assert all(p["status"] == 200 and p["bytes"] > 500 and p["p50_s"] > 0 for p in pages)
    assert [p["sources"] for p in pages[:4] if p["as"] == "html"][0] >= 1
    assert result["settings"] == {"entity_page_values": 100, "entity_page_sources": 5}
    searches = result["searches"]
    assert len(searches) >= 7 and all(s["p50_s"] > 0 for s in searches)
    assert sum(s["hits"] > 0 for s in searches) >= 6
    assert [(s["path"], s["status"]) for s in result["service"]] == [("/sparql", 200), ("/stats", 200)]
    assert all(s["bytes"] > 100 for s in result["service"])
    exports = result["exports"]
    assert exports[-1]["format"] == "nquads" and len(exports) >= 9 and all(e["status"] == 200 for e in exports)
    assert all(e["bytes"] > 100 for e in exports)
    # a dataset small enough to be held in memory has no store folder to keep the search index in
    assert result["app_s"] >= 0 and result["app_again_s"] >= 0
    assert (result["index_kept_before"], result["index_kept_after"]) == (False, False)
