"""Official document numbers, in every scheme the genre uses, and their canonical form.

Party documents: "11-NQ/TW", "26-CT/TU", "09-CTr/TU", "493-BC/VPTW", "100 - KL/TW" (spaced).
State documents: "15/2020/NQ-HĐND", "01/NQ-CP", "1234/QĐ-TTg". A number is identified with the
scope of its series: the national party series (…/TW), a province's (…/TU, …-HĐND, …-UBND) or a
district's; :func:`series_scope` says which.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer as gz

_CODE = r"[A-ZĐ][A-Za-zĐđ]{0,4}"
PARTY = re.compile(rf"(?<![\w/])(?P<seq>\d{{1,4}})\s*[-–]\s*(?P<code>{_CODE})\s*/\s*(?P<suffix>[A-ZĐƯ](?:[A-ZĐƯ]|\.(?=[A-ZĐƯ])){{0,9}})(?![\w/])")
STATE = re.compile(rf"(?<![\w/])(?P<seq>\d{{1,5}})/(?:(?P<year>(?:19|20)\d\d)/)?(?P<code>{_CODE})-(?P<suffix>[A-ZĐ][A-Za-zĐđ0-9]{{1,11}}(?:-[A-ZĐ][A-Za-zĐđ0-9]{{1,11}})*)(?![\w/])")
# "39/2024/QH15"; also spaced as a page may break it ("72/2025/QH 15")
ASSEMBLY = re.compile(r"(?<![\w/])(?P<seq>\d{1,4})/(?P<year>(?:19|20)\d\d)/(?P<code>QH ?\d{1,2})(?![\w/])")
_PROVINCIAL_STATE = {"HĐND", "UBND", "TTHĐND", "MTTQ"}


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    canonical: str  # as vnkg:number holds it: party "9-CTr/TU" (no spaces or leading zeros), state "07/2022/NQ-HĐND"
    key: str  # the same, for identity
    code: str  # kind code: NQ, CT, KL …
    scope: str  # "national", "province", "district", "local"
    seq: int


def find_numbers(text: str) -> list[Number]:
    out = [_party(m) for m in PARTY.finditer(text)]
    out += [_state(m) for m in STATE.finditer(text) if not any(n.start <= m.start() < n.end for n in out)]
    out += [_assembly(m) for m in ASSEMBLY.finditer(text) if not any(n.start <= m.start() < n.end for n in out)]
    return sorted(out, key=lambda n: n.start)


def _party(m: re.Match) -> Number:
    suffix = m.group("suffix").replace(".", "").replace("TƯ", "TW").replace("T.Ư", "TW")
    code = m.group("code")
    canonical = f"{int(m.group('seq'))}-{code}/{suffix}"
    scope = gz.lexicon()["number_scopes"].get(suffix.upper(), "province" if suffix.endswith("TU") else "local")
    return Number(m.start(), m.end(), canonical, f"{int(m.group('seq'))}-{code}/{suffix}", code, scope, int(m.group("seq")))


def _state(m: re.Match) -> Number:
    year = f"{m.group('year')}/" if m.group("year") else ""
    canonical = f"{m.group('seq')}/{year}{m.group('code')}-{m.group('suffix')}"  # state numbers keep their zeros
    key = f"{int(m.group('seq'))}/{year}{m.group('code')}-{m.group('suffix')}"
    scope = "province" if m.group("suffix").split("-")[0].upper() in _PROVINCIAL_STATE else "national"
    return Number(m.start(), m.end(), canonical, key, m.group("code"), scope, int(m.group("seq")))


def _assembly(m: re.Match) -> Number:
    """A law or resolution of the National Assembly: "39/2024/QH15"."""
    canonical = f"{m.group('seq')}/{m.group('year')}/{m.group('code').replace(' ', '')}"
    return Number(m.start(), m.end(), canonical, canonical, "QH", "national", int(m.group("seq")))


def kind_of_code(code: str) -> str | None:
    """The vnkg class of a kind code ("NQ" → "Resolution"), None when unknown."""
    codes = gz.lexicon()["document_codes"]
    kind = codes.get(code) or codes.get(code.upper())
    return kind if kind and kind != "Other" else None


def synthesise(code: str, seq: int, issuer_label: str) -> str | None:
    """The number a short form ("Chỉ thị số 12" of a provincial standing committee) stands for:
    the party series of its issuer — …/TW for central organs, …/TU for a provincial committee."""
    folded = gz.fold(issuer_label)
    if folded.startswith(("bo chinh tri", "ban bi thu", "ban chap hanh trung uong")):
        return f"{seq}-{code}/TW"
    if "tinh uy" in folded or "thanh uy" in folded:
        return f"{seq}-{code}/TU"
    return None
