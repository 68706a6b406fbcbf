"""A corpus of saved web pages, PDFs and Word files made from the dev-set articles (issue 16).

`make.py` writes the files and `manifest.json`; `measure.py` scores a reader against them.
The generated files are committed, so the tests never need the generation-only libraries.
"""
