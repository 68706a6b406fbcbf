"""The analyst's toolkit: what notebooks, spreadsheets and network tools get out of a dataset.

- :mod:`kg.toolkit.api` — the Python API (``kg.open``, ``ds.query(...).to_pandas()``, ``ds.find``,
  ``ds.facts``, ``kg.build``, ``kg.add``), over a dataset file's store or a SPARQL endpoint
  (:mod:`~kg.toolkit.backends`), with rows of Python values (:mod:`~kg.toolkit.rows`,
  :mod:`~kg.toolkit.terms`), the server's search (:mod:`~kg.toolkit.search`) and an entity's
  facts with their evidence (:mod:`~kg.toolkit.facts`, :mod:`~kg.toolkit.views`);
- :mod:`kg.toolkit.tables` — `kg query -f xlsx`, `kg export --tables` (:mod:`~kg.toolkit.sheets`
  writes the files);
- :mod:`kg.toolkit.network` — `kg export --network` as GraphML or GEXF (:mod:`~kg.toolkit.netxml`).

Nothing here is imported by ``import kg``: the API loads on first use.
"""
