"""URLs as `kg fetch` takes them, and the file names it saves them under.

:func:`normal` takes URL text from the command line, a list file, a feed or a redirect and
returns one checked, normal form — http or https only, no user name or password, no fragment,
the host in lower case and punycode, the default port dropped, the path and query
percent-encoded where they were not — or raises :class:`~kg.errors.InputError` naming the URL
and what is wrong with it. The normal form is the key of the fetch record.

:func:`file_name` turns a URL into a relative path that is safe to write under the output
folder: a folder per host, an ASCII slug of the path and query, a short hash of the whole URL
(two URLs never share a file, and the same URL always gets the same one), bounded in length.
Nothing a URL says can steer it out of the output folder. No network here.
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from ..errors import InputError
from ..text import slug

SCHEMES = {"http": 80, "https": 443}
MAX_URL = 2048
MAX_SLUG = 80
MAX_HOST = 100
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_HOST = re.compile(r"[a-z0-9._-]+|\[[0-9a-f:.]+\]")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def normal(url: str) -> str:
    """The checked, normal form of `url` (see the module docstring)."""
    text = url.strip()
    if len(text) > MAX_URL:
        raise InputError(text[:80] + "…", f"URL of {len(text):,} characters, over the limit of {MAX_URL:,}")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InputError(text, f"not a usable URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise InputError(text, "only http and https URLs are fetched, not "
                               + (f"{scheme}:" if scheme else "a URL without a scheme (write https://…)"))
    if parts.username is not None or parts.password is not None:
        raise InputError(text, "URL carries a user name or password; kg fetch sends none")
    host = _host(text, parts.hostname)
    netloc = host if port in (None, SCHEMES[scheme]) else f"{host}:{port}"
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    query = quote(parts.query, safe=_SAFE_PATH + "?")
    return urlunsplit((scheme, netloc, path, query, ""))


def _host(text: str, hostname: str | None) -> str:
    if not hostname:
        raise InputError(text, "URL without a host")
    if ":" in hostname:  # an IPv6 address, which urlsplit gives without its brackets
        host = f"[{hostname}]"
    else:
        try:
            host = hostname.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise InputError(text, f"host {hostname!r} is not a valid domain name") from exc
    if not _HOST.fullmatch(host):
        raise InputError(text, f"host {hostname!r} is not a valid domain name")
    return host


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a normal URL: what one robots.txt speaks for."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def host_of(url: str) -> str:
    """The host name of a normal URL, without port: what the delay between requests is kept for."""
    return urlsplit(url).hostname or ""


def target(url: str) -> str:
    """The path and query of a normal URL, as sent in the request line and matched by robots.txt."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def file_name(url: str, suffix: str) -> str:
    """``<host>/<slug of path and query>-<hash of the URL><suffix>``, safe under any folder."""
    parts = urlsplit(url)
    path = _EXTENSION.sub("", unquote(parts.path))  # "bai-viet.html" saved as ".html" is not "bai-viet-html.html"
    words = slug(f"{path} {unquote(parts.query)}")[:MAX_SLUG].strip("-") or "index"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    return f"{host_folder(url)}/{words}-{digest}{suffix}"


def host_folder(url: str) -> str:
    """The folder of a URL's host: ``example.vn``, ``example.vn_8080``; never hidden, never ``..``."""
    netloc = urlsplit(url).netloc.lower()
    name = re.sub(r"[^a-z0-9.-]+", "_", netloc).strip("._-")[:MAX_HOST]
    return name or "_"
