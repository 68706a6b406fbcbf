"""vnkg's SPARQL 1.1 endpoint and Linked Data server.

:mod:`server.app` (the Flask factory), :mod:`server.protocol` (the SPARQL protocol as plain
functions), :mod:`server.engine` (queries in killable worker processes), :mod:`server.run`
(gunicorn, for ``kg serve``), :mod:`server.conformance` (the W3C protocol tests, for
``kg conformance URL``). Nothing runs at import time.
"""
