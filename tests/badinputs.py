"""The corpus of bad sources in tests/data/bad/: what each file holds and how it was made.

Every sentence here was written for these tests (none is taken from a seed or a web page).
The legacy-encoded files are made with kg.encodings' own encoders from these sentences, so
a test can check that the committed bytes are exactly what this module makes.
Regenerate with: .venv/bin/python tests/badinputs.py
"""
from __future__ import annotations

import json
import struct
import unicodedata
import zlib
from pathlib import Path

from kg.encodings import encode_cp1258, encode_tcvn3, encode_vni

BAD = Path(__file__).resolve().parent / "data" / "bad"

UNICODE_TEXT = ("Quốc hội thông qua Luật Đất đai sửa đổi với đa số đại biểu tán thành.\n"
                "Phiên họp kéo dài đến chiều muộn.\n")
CP1258_TEXT = ("Đại hội đại biểu Đoàn Thanh niên thành phố lần thứ mười hai khai mạc vào sáng thứ Hai.\n"
               "Các đại biểu đã bầu ban chấp hành mới.\n")
TCVN3_TEXT = ("Sáng nay, đồng chí Bí thư Tỉnh ủy chủ trì buổi làm việc với các sở, ngành về công tác cán bộ.\n"
              "Đảng bộ xã đã hoàn thành nhiệm vụ năm nay.\n")
VNI_TEXT = ("Người dân trong xã đã góp ý kiến cho dự thảo nghị quyết về xây dựng nông thôn mới.\n"
            "ỦY BAN NHÂN DÂN HUYỆN tổ chức lễ khánh thành trường học.\n")
NFD_TEXT = unicodedata.normalize("NFD", "Ủy ban Kiểm tra Trung ương họp kỳ thứ tư, xem xét nhiều nội dung quan trọng.\n")
SHORT_VNI = "Bao cao so 12, Ha Noi ngày 5 tháng 3\n"  # two non-ASCII words: too few to tell
PLAIN = "Hội nghị tổng kết công tác năm 2023 của Tỉnh ủy.\n"
FURNITURE = "Phản hồi\nXem nhiều nhất\nTin liên quan\nChia sẻ\nTags: hội nghị, đại hội\n>>> Bài liên quan\n"
HTML = ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>Tin tức</title></head>\n'
        "<body><div><p>Hội nghị tổng kết công tác năm.</p></div></body></html>\n")
FRENCH = "Le conseil a adopté le budget; la séance s'est achevée à midi, après un débat animé.\n"
GERMAN = "Die Straße führt über den Fluß zur Brücke; schön und grün ist es dort.\n"


def png_1x1() -> bytes:
    """A real one-pixel PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def _sidecar(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def files() -> dict[str, bytes]:
    """File name → bytes of every file in the corpus."""
    utf8 = UNICODE_TEXT.encode("utf-8")
    cut = utf8.index(b"\n") + 1
    return {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n\r\n",
        "photo.txt": png_1x1(),
        "controls.txt": b"abc\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15 text\n",
        "utf8_bom.txt": b"\xef\xbb\xbf" + utf8,
        "utf8_bad_byte.txt": utf8[:cut] + b"\xff" + utf8[cut:],
        "utf16le_bom.txt": b"\xff\xfe" + UNICODE_TEXT.encode("utf-16-le"),
        "utf16be_bom.txt": b"\xfe\xff" + UNICODE_TEXT.encode("utf-16-be"),
        "utf16le_nobom.txt": UNICODE_TEXT.encode("utf-16-le"),
        "utf16be_nobom.txt": UNICODE_TEXT.encode("utf-16-be"),
        "utf16le_truncated.txt": UNICODE_TEXT.encode("utf-16-le")[:-1],
        "cp1258.txt": encode_cp1258(CP1258_TEXT),
        "tcvn3.txt": encode_tcvn3(TCVN3_TEXT),
        "vni.txt": encode_vni(VNI_TEXT),
        "vni_too_short.txt": encode_vni(SHORT_VNI),
        "vni_as_utf8.txt": encode_vni(VNI_TEXT).decode("cp1252").encode("utf-8"),
        "tcvn3_as_utf8.txt": encode_tcvn3(TCVN3_TEXT).decode("cp1252").encode("utf-8"),
        "french_utf8.txt": FRENCH.encode("utf-8"),
        "latin1_german.txt": GERMAN.encode("cp1252"),
        "nfd.txt": NFD_TEXT.encode("utf-8"),
        "page_html.txt": HTML.encode("utf-8"),
        "furniture.txt": FURNITURE.encode("utf-8"),
        "sidecar_not_json.txt": PLAIN.encode("utf-8"),
        "sidecar_not_json.meta.json": b'{"title": "H\xe1\xbb\x99i ngh\xe1\xbb\x8b", "published": 2024-07-16\n',
        "sidecar_array.txt": PLAIN.encode("utf-8"),
        "sidecar_array.meta.json": _sidecar(["Hội nghị", "2024-07-16"]),
        "sidecar_number.txt": PLAIN.encode("utf-8"),
        "sidecar_number.meta.json": _sidecar({"title": 42}),
        "sidecar_feb31_dmy.txt": PLAIN.encode("utf-8"),
        "sidecar_feb31_dmy.meta.json": _sidecar({"published": "31/02/2024"}),
        "sidecar_feb31_iso.txt": PLAIN.encode("utf-8"),
        "sidecar_feb31_iso.meta.json": _sidecar({"published": "2024-02-31"}),
        "sidecar_words.txt": PLAIN.encode("utf-8"),
        "sidecar_words.meta.json": _sidecar({"published": "thứ Ba tuần trước"}),
        "sidecar_dmy_ok.txt": PLAIN.encode("utf-8"),
        "sidecar_dmy_ok.meta.json": _sidecar({"published": "16/07/2024", "province": "Bắc Giang"}),
    }


def write(folder: Path = BAD) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files().items():
        (folder / name).write_bytes(data)


if __name__ == "__main__":
    write()
    print(f"wrote {len(files())} files to {BAD}")
