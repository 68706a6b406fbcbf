"""What the extractor's rule tables share: run a sentence through it, read back posts and people."""
import datetime as dt

from kg.extract import extract
from kg.model import SourceMeta, SourceText


def run(text, province=None, published=None, title=None, url=None):
    """The extraction of `text` as one source, with what a sidecar would say."""
    meta = SourceMeta(title=title, province=province, url=url,
                      published=dt.date.fromisoformat(published) if published else None)
    return extract(SourceText(id="case.txt", path="case.txt", text=text, meta=meta))


def posts(x, pred="holds"):
    """(person, role, body) labels of the posts `pred` ("holds", "formerlyHeld") gives."""
    labels = {e.key: e.label for e in x.entities}
    out = set()
    for f in x.facts:
        if f.predicate == pred:
            role = next(g.object for g in x.facts if g.subject == f.object and g.predicate == "role")
            body = next(g.object for g in x.facts if g.subject == f.object and g.predicate == "postIn")
            out.add((labels[f.subject], labels[role], labels[body]))
    return out


def people(x):
    return {e.label for e in x.entities if e.cls == "Person"}
