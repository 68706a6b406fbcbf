"""Provinces and centrally-run cities, offline, through the real pipeline: every spelling family
of the news linked to the verified QID, bodies reaching their province's item, and the 2025
mergers (an end date and a successor, two committees told apart, a survivor's QID, a rename).
The texts are invented; no real person is named."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.export import load
from kg.extract import extract, gazetteer as gz
from kg.link import link
from kg.link.match import Target, table_decision
from kg.link.table import SHIPPED_TABLE, load_table
from kg.link.targets import with_unit_names
from kg.pipeline import build
from kg.read import read_source
from kg.sparql import run
from kg.validate import validate
from kg.vocab import VNKG

from vn_units import verified_qids

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "linking.md"
WD = "http://www.wikidata.org/entity/"
ITEMS = load_table(SHIPPED_TABLE)
BR_VT, HCM, TTH, DAK_LAK, BAC_KAN, DA_NANG = "Q36874", "Q1854", "Q36399", "Q36690", "Q36404", "Q25282"
BAC_GIANG, BAC_NINH = "Q36367", "Q33408"


def write(folder: Path, name: str, text: str, **meta: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder / f"{name}.txt"


def jurisdictions(tmp_path: Path, text: str, **meta: str) -> dict[str, str | None]:
    """Each body of the text (and each province) → the QID its province is linked to."""
    extraction = extract(read_source(write(tmp_path, "x", text, **{"published": "2023-05-10", **meta})))
    linked = {l.key: l.qid for l in link([extraction], tables=[SHIPPED_TABLE], cache_dir=tmp_path).links}
    out = {f.subject[1]: linked.get(f.object) for f in extraction.facts
           if f.predicate == "jurisdiction" and f.subject[0] == "Body"}
    out.update({e.label: linked.get(e.key) for e in extraction.entities if "Province" in e.types})
    return out


SPELLINGS = [
    # (text, sidecar, {body or province label: QID})
    ("Ngày 9/5/2023, Tỉnh ủy Bà Rịa - Vũng Tàu tổ chức hội nghị. Ông Phạm Văn Cừu, Phó Chủ tịch UBND tỉnh "
     "Bà Rịa - Vũng Tàu phát biểu.", {},
     {"Tỉnh ủy Bà Rịa - Vũng Tàu": BR_VT, "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu": BR_VT}),
    ("Ngày 9/5/2023, đoàn công tác của tỉnh BR-VT làm việc với huyện Côn Đảo. Ông Phạm Văn Cừu, Phó Chủ tịch "
     "UBND tỉnh BR-VT chủ trì.", {}, {"Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu": BR_VT}),
    ("Ngày 9/5/2023, Thành ủy TP HCM tổ chức hội nghị. Ông Đỗ Văn Ngựa, Phó Chủ tịch UBND TP HCM phát biểu.", {},
     {"Thành ủy Thành phố Hồ Chí Minh": HCM, "Ủy ban nhân dân Thành phố Hồ Chí Minh": HCM}),
    ("Ngày 9/5/2023, Thành ủy TP.HCM tổ chức hội nghị. Ông Đỗ Văn Ngựa, Phó Chủ tịch UBND TP.HCM phát biểu.", {},
     {"Thành ủy Thành phố Hồ Chí Minh": HCM, "Ủy ban nhân dân Thành phố Hồ Chí Minh": HCM}),
    ("Ngày 9/5/2023, UBND TPHCM tổ chức hội nghị. Ông Đỗ Văn Ngựa, Phó Chủ tịch UBND TPHCM phát biểu.", {},
     {"Hồ Chí Minh": HCM}),
    ("Ngày 9/5/2023, Thành ủy Thành phố Hồ Chí Minh tổ chức hội nghị. Ông Đỗ Văn Ngựa, Phó Bí thư Thành ủy "
     "Thành phố Hồ Chí Minh phát biểu.", {}, {"Thành ủy Thành phố Hồ Chí Minh": HCM}),
    ("Ngày 9/5/2023, Tỉnh ủy Thừa Thiên - Huế tổ chức hội nghị. Ông Hồ Văn Sáo, Phó Chủ tịch UBND tỉnh "
     "Thừa Thiên - Huế phát biểu.", {},
     {"Tỉnh ủy Thừa Thiên Huế": TTH, "Ủy ban nhân dân tỉnh Thừa Thiên Huế": TTH}),
    ("Ngày 9/5/2023, Tỉnh ủy TT-Huế tổ chức hội nghị. Ông Hồ Văn Sáo, Phó Bí thư Tỉnh ủy TT-Huế phát biểu.", {},
     {"Tỉnh ủy Thừa Thiên Huế": TTH}),
    ("Ngày 9/5/2023, Tỉnh ủy Đắc Lắc tổ chức hội nghị. Ông Y Văn Khiên, Bí thư Tỉnh ủy Đắc Lắc chủ trì.", {},
     {"Tỉnh ủy Đắk Lắk": DAK_LAK}),
    ("TỈNH ỦY TỔ CHỨC HỘI NGHỊ SƠ KẾT\n\nNgày 9/5/2023, Tỉnh ủy tổ chức hội nghị sơ kết.",
     {"province": "Ba Ria - Vung Tau"}, {"Tỉnh ủy Bà Rịa - Vũng Tàu": BR_VT}),
    ("Ngày 9/5/2023, HĐND tỉnh Bắc Kạn khai mạc kỳ họp thứ 12. Tỉnh ủy Bắc Kạn và UBND tỉnh Bắc Kạn báo cáo. "
     "Ông Lò Văn Thuyền, Chủ tịch HĐND tỉnh Bắc Kạn chủ trì kỳ họp.", {},
     {"Hội đồng nhân dân tỉnh Bắc Kạn": BAC_KAN, "Tỉnh ủy Bắc Kạn": BAC_KAN, "Ủy ban nhân dân tỉnh Bắc Kạn": BAC_KAN}),
    ("Ngày 9/5/2023, HĐND Thành phố Đà Nẵng khai mạc kỳ họp. Ông Lý Văn Sếu, Phó Bí thư Thành ủy Đà Nẵng phát biểu.", {},
     {"Hội đồng nhân dân thành phố Đà Nẵng": DA_NANG, "Thành ủy Đà Nẵng": DA_NANG}),
]
SPELLING_IDS = ["tinh-ba-ria-vung-tau", "br-vt", "tp-hcm", "tp.hcm", "tphcm", "thanh-pho-ho-chi-minh",
                "thua-thien-dash-hue", "tt-hue", "old-spelling-dac-lac", "sidecar-without-diacritics",
                "tinh-uy-hdnd-ubnd", "thanh-uy-hdnd-city"]


@pytest.mark.parametrize("text, meta, expected", SPELLINGS, ids=SPELLING_IDS)
def test_every_spelling_family_reaches_the_verified_qid(tmp_path, text, meta, expected):
    found = jurisdictions(tmp_path, text, **meta)
    assert {label: found.get(label) for label in expected} == expected


@pytest.mark.parametrize("province", sorted({p.name for p in gz.provinces().values()}))
def test_every_spelling_the_gazetteer_knows_links_the_unit(province):
    unit = gz.province_by_fold(province)
    qid = verified_qids()[province]
    for spelling in (unit.name, *unit.aliases, unit.unit):
        target = with_unit_names(Target(("Place", spelling), "Place", spelling, ("Province",)))
        chosen = table_decision(target, ITEMS).chosen
        assert (chosen.qid if chosen else None) == qid, spelling


# --- the mergers, through kg build ------------------------------------------------------------

CORPUS = {
    "bg2021": ("Tỉnh ủy Bắc Giang tổ chức hội nghị\n\nNgày 10/3/2021, Tỉnh ủy Bắc Giang tổ chức Hội nghị Ban Chấp "
               "hành Đảng bộ tỉnh lần thứ 5. Đồng chí Trần Văn Mộc, Bí thư Tỉnh ủy Bắc Giang chủ trì hội nghị. "
               "HĐND tỉnh Bắc Giang và UBND tỉnh Bắc Giang báo cáo kết quả.", "2021-03-11"),
    "bn2021": ("Tỉnh ủy Bắc Ninh sơ kết quý I\n\nNgày 2/4/2021, Tỉnh ủy Bắc Ninh tổ chức hội nghị sơ kết quý I. "
               "UBND tỉnh Bắc Ninh báo cáo tình hình kinh tế.", "2021-04-03"),
    "bn2026": ("Tỉnh ủy Bắc Ninh tổng kết năm 2025\n\nNgày 20/1/2026, Tỉnh ủy Bắc Ninh tổ chức hội nghị tổng kết. "
               "Ông Lê Văn Gỗ, Chủ tịch UBND tỉnh Bắc Ninh phát biểu. HĐND tỉnh Bắc Ninh thông qua nghị quyết.",
               "2026-01-21"),
    "tth2021": ("Tỉnh ủy Thừa Thiên Huế tổ chức hội nghị\n\nNgày 10/3/2021, Tỉnh ủy Thừa Thiên Huế tổ chức Hội nghị "
                "Ban Chấp hành Đảng bộ tỉnh lần thứ 5. UBND tỉnh Thừa Thiên - Huế báo cáo kết quả.", "2021-03-11"),
    "hue2026": ("Thành ủy Huế tổng kết năm 2025\n\nNgày 20/1/2026, Thành ủy Huế tổ chức hội nghị tổng kết. "
                "HĐND thành phố Huế thông qua nghị quyết.", "2026-01-21"),
}


@pytest.fixture(scope="module")
def mergers(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mergers")
    for name, (text, day) in CORPUS.items():
        write(folder / "in", name, text, published=day)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_CACHE_DIR", str(folder / "cache"))
        mp.setenv("KG_LINK_TABLE", str(folder / "local.json"))
        build([folder / "in"], folder / "kg.trig", log=lambda line: None)
    return folder / "kg.trig"


def rows(path: Path, query: str) -> list[tuple]:
    ds = load(path)
    ds.default_union = True
    result = run(ds, "PREFIX vnkg: <https://w3id.org/vnkg/ontology#> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
                     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + query, max_results=10_000)
    return [tuple(None if v is None else str(v) for v in row) for row in result.rows]


def place(path: Path, label: str) -> URIRef:
    """The province of that label, as a source graph has it (the inferred graph copies labels
    across owl:sameAs)."""
    found = {p for g in load(path).graphs() if "/graph/source/" in str(g.identifier)
             for p in g.subjects(RDFS.label, Literal(label, lang="vi")) if (p, RDF.type, VNKG.Province) in g}
    assert len(found) == 1, found
    return found.pop()


def test_a_province_that_ceased_keeps_its_own_item_with_an_end_date(mergers):
    links = load(mergers).graph(URIRef("https://w3id.org/vnkg/graph/links"))
    bac_giang = place(mergers, "Bắc Giang")
    assert (bac_giang, OWL.sameAs, URIRef(WD + BAC_GIANG)) in links
    assert list(links.objects(bac_giang, VNKG.validUntil)) == [Literal("2025-07-01", datatype=XSD.date)]


def test_the_unit_it_merged_into_has_its_own_item_and_is_its_successor(mergers):
    links = load(mergers).graph(URIRef("https://w3id.org/vnkg/graph/links"))
    bac_giang, bac_ninh = place(mergers, "Bắc Giang"), place(mergers, "Bắc Ninh")
    assert list(links.objects(bac_giang, VNKG.successor)) == [bac_ninh]
    assert (bac_ninh, OWL.sameAs, URIRef(WD + BAC_NINH)) in links
    assert list(links.objects(bac_ninh, VNKG.validUntil)) == []


def test_committees_of_2021_and_2026_are_told_apart_and_both_linked(mergers):
    found = rows(mergers, 'SELECT ?b ?item WHERE { ?b a vnkg:Body ; rdfs:label ?l ; vnkg:jurisdiction/owl:sameAs ?item . '
                          'FILTER(?l IN ("Tỉnh ủy Bắc Giang"@vi, "Tỉnh ủy Bắc Ninh"@vi) && STRSTARTS(STR(?item), "http://www.wikidata")) }')
    assert sorted(item for _, item in found) == [WD + BAC_NINH, WD + BAC_GIANG]
    assert len({body for body, _ in found}) == 2


def test_a_surviving_unit_keeps_its_qid_before_and_after(mergers):
    found = rows(mergers, 'SELECT ?p ?item (COUNT(DISTINCT ?s) AS ?sources) WHERE { ?p a vnkg:Province ; '
                          'rdfs:label "Bắc Ninh"@vi ; vnkg:mentionedIn ?s ; owl:sameAs ?item . '
                          'FILTER(STRSTARTS(STR(?item), "http://www.wikidata")) } GROUP BY ?p ?item')
    assert [(item, n) for _, item, n in found] == [(WD + BAC_NINH, "2")]  # bn2021 and bn2026


def test_a_renamed_unit_keeps_its_item_under_both_names(mergers):
    links = load(mergers).graph(URIRef("https://w3id.org/vnkg/graph/links"))
    old, new = place(mergers, "Thừa Thiên Huế"), place(mergers, "Huế")
    assert old != new
    for unit in (old, new):
        assert (unit, OWL.sameAs, URIRef(WD + TTH)) in links
        assert list(links.objects(unit, VNKG.validUntil)) == []
    # one unit under two names: OWL-RL joins the two places
    assert (old, OWL.sameAs, new) in load(mergers).graph(URIRef("https://w3id.org/vnkg/graph/inferred"))


OLD_CITY = "Ngày 9/5/{year}, UBND thành phố Huế tổ chức hội nghị. Ông Hồ Văn Sáo, Chủ tịch UBND thành phố Huế phát biểu."


def test_the_new_name_in_a_source_before_the_rename_is_another_unit(tmp_path):
    """Before 2025 "thành phố Huế" was Thừa Thiên Huế's provincial city, not the unit of Q36399."""
    before = jurisdictions(tmp_path / "2021", OLD_CITY.format(year=2021), published="2021-05-10")
    after = jurisdictions(tmp_path / "2026", OLD_CITY.format(year=2026), published="2026-05-10")
    assert before["Ủy ban nhân dân thành phố Huế"] is None
    assert after["Ủy ban nhân dân thành phố Huế"] == TTH


def docs_query(marker: str) -> str:
    """The SPARQL block of docs/linking.md that starts with the comment `# marker`."""
    blocks = re.findall(r"```sparql\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    return next(b for b in blocks if b.startswith(f"# {marker}"))


def test_the_documented_query_goes_from_any_body_to_its_provinces_item(mergers):
    ds = load(mergers)
    ds.default_union = True
    result = run(ds, docs_query("body-to-item"), max_results=10_000)
    got = {(str(r[0]), str(r[2]).rsplit("/", 1)[-1], str(r[3] or ""), str(r[4] or "")) for r in result.rows}
    for body, qid in [("Tỉnh ủy Bắc Giang", BAC_GIANG), ("Hội đồng nhân dân tỉnh Bắc Giang", BAC_GIANG),
                      ("Ủy ban nhân dân tỉnh Bắc Giang", BAC_GIANG)]:
        assert (body, qid, "2025-07-01", "Bắc Ninh") in got
    for body, qid in [("Tỉnh ủy Bắc Ninh", BAC_NINH), ("Hội đồng nhân dân tỉnh Bắc Ninh", BAC_NINH),
                      ("Ủy ban nhân dân tỉnh Bắc Ninh", BAC_NINH), ("Tỉnh ủy Thừa Thiên Huế", TTH),
                      ("Thành ủy Huế", TTH), ("Hội đồng nhân dân thành phố Huế", TTH)]:
        assert (body, qid, "", "") in got
    assert all(qid.startswith("Q") for _, qid, _, _ in got)


def test_the_merger_dataset_conforms_with_its_end_dates_and_successors(mergers):
    links = load(mergers).graph(URIRef("https://w3id.org/vnkg/graph/links"))
    assert (None, VNKG.successor, None) in links and (None, VNKG.validUntil, None) in links
    report = validate(load(mergers))
    assert report.conforms, report.violations + report.inconsistencies
