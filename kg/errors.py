"""The one exception family of vnkg.

Library code raises these; the CLI turns them into one line on stderr and an exit code,
the server into a status code. Messages say what happened, the offending value and,
where there is a choice, the valid options.
"""
from __future__ import annotations


class KgError(Exception):
    """Base of every error vnkg raises on purpose."""

    exit_code = 2


class InputError(KgError):
    """A source, sidecar, gold file or path that cannot be used as given."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):  # pickled as what it was made of (a build's stages raise it in a child process)
        return type(self), (self.path, self.problem)


class QueryError(KgError):
    """A SPARQL query that cannot be run: malformed, refused, or over a limit."""


class ValidationError(KgError):
    """A graph that does not conform to the shapes or is inconsistent under OWL-RL."""

    exit_code = 1


class LinkError(KgError):
    """Linking to Wikidata failed in a way the caller must hear about."""


class ConfigError(KgError):
    """A setting with a value it cannot take."""
