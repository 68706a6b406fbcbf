"""A page saved as Chrome saves it: MIME multipart/related, the HTML quoted-printable or base64.

`mhtml(html_bytes, url, title, date, encoding)` returns the file's bytes. Besides the HTML,
the archive holds a stylesheet and a small image, as a real save does; the boundary is made
from the URL, so the output is the same on every run.
"""
from __future__ import annotations

import base64
import datetime as dt
import email.header
import hashlib
import quopri

# A 1×1 grey GIF: the figure image Chrome would have embedded.
GIF = base64.b64decode("R0lGODlhAQABAIAAAMzMzAAAACwAAAAAAQABAAACAkQBADs=")
CSS = b"body{font-family:Arial,sans-serif}.sapo{font-weight:bold}figcaption{font-style:italic}\r\n"


def _part(headers: list[tuple[str, str]], body: bytes) -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in headers)
    return head.encode("ascii") + b"\r\n" + body + b"\r\n"


def _qp(data: bytes) -> bytes:
    return quopri.encodestring(data, quotetabs=False).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _b64(data: bytes) -> bytes:
    text = base64.b64encode(data)
    return b"\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def mhtml(page: bytes, url: str, title: str, date: dt.datetime, encoding: str = "quoted-printable") -> bytes:
    tag = hashlib.sha1(url.encode()).hexdigest()[:40]
    boundary = f"----MultipartBoundary--{tag}----"
    subject = email.header.Header(title, "utf-8").encode(maxlinelen=76, linesep="\r\n\t")
    top = [("From", "<Saved by Blink>"), ("Snapshot-Content-Location", url), ("Subject", subject),
           ("Date", date.strftime("%a, %d %b %Y %H:%M:%S %z")), ("MIME-Version", "1.0"),
           ("Content-Type", f'multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"')]
    body = _qp(page) if encoding == "quoted-printable" else _b64(page)
    parts = [
        _part([("Content-Type", "text/html"), ("Content-ID", f"<frame-{tag[:32].upper()}@mhtml.blink>"),
               ("Content-Transfer-Encoding", encoding), ("Content-Location", url)], body),
        _part([("Content-Type", "text/css"), ("Content-Transfer-Encoding", "quoted-printable"),
               ("Content-Location", f"cid:css-{tag[:8]}@mhtml.blink")], _qp(CSS)),
        _part([("Content-Type", "image/gif"), ("Content-Transfer-Encoding", "base64"),
               ("Content-Location", url.rsplit("/", 1)[0] + "/image-1.gif")], _b64(GIF)),
    ]
    out = _part(top, b"")
    for part in parts:
        out += f"--{boundary}\r\n".encode() + part
    return out + f"--{boundary}--\r\n".encode()
