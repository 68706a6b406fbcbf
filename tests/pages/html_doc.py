"""An official document as a portal shows it: an info table, then the text laid out as on paper.

The letterhead and the recipients/signature block are borderless two-column tables, the
heading centred and bold, the body justified: what a reader must turn back into lines.
"""
from __future__ import annotations

import datetime as dt

from pages.article import Article
from pages.html_parts import esc, inline


def document_info(article: Article) -> str:
    """The 'Thông tin văn bản' table portals put above a document (furniture, not text)."""
    letter = article.letter
    assert letter is not None
    rows = (("Số ký hiệu", letter.number.removeprefix("Số ").strip()),
            ("Ngày ban hành", dt.date.fromisoformat(article.facts["published"]).strftime("%d/%m/%Y")),
            ("Loại văn bản", letter.heading[0].capitalize()),
            ("Cơ quan ban hành", article.facts["publisher"]),
            ("Người ký", letter.signature[-1]))
    cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<div class="doc-info"><h3>Thông tin văn bản</h3><table class="vb-info">{cells}</table></div>'


def _cell(lines: tuple[str, ...] | list[str], style: str) -> str:
    return f'<td style="{style}">' + "".join(f"<p>{esc(x)}</p>" for x in lines) + "</td>"


def document_html(article: Article) -> str:
    letter = article.letter
    assert letter is not None
    centre = "width:50%;text-align:center;vertical-align:top;border:none"
    head = (f'<table class="letterhead" style="width:100%;border:none">'
            f'<tr>{_cell(letter.issuer, centre + ";font-weight:bold")}{_cell([letter.party], centre + ";font-weight:bold")}</tr>'
            f'<tr>{_cell([letter.number], centre)}{_cell([letter.place_date], centre + ";font-style:italic")}</tr></table>')
    heading = "".join(f'<p style="text-align:center"><b>{esc(x)}</b></p>' for x in letter.heading)
    body = "".join(f'<p style="text-align:justify">{inline(b.text)}</p>' for b in article.blocks)
    left = "width:50%;vertical-align:top;border:none;font-size:11pt"
    right = "width:50%;text-align:center;vertical-align:top;border:none;font-weight:bold"
    tail = (f'<table class="signature" style="width:100%;border:none"><tr>'
            f'{_cell(letter.recipients, left)}{_cell(letter.signature, right)}</tr></table>')
    download = (f'<p class="attach">Tải về: <a href="/van-ban/{esc(letter.number.removeprefix("Số ").replace("/", "-"))}.pdf">'
                f'{esc(letter.number)}.pdf</a></p>')
    return f'<div class="document">{head}{heading}{body}{tail}</div>{download}'
