"""vnkg: Vietnamese party and state news in, an OWL-RL knowledge graph out.

Stages (each callable alone, chained only in :mod:`kg.pipeline`):
read (:mod:`kg.sources`) → normalise (:mod:`kg.text`) → extract (:mod:`kg.extract`)
→ link (:mod:`kg.link`) → graph (:mod:`kg.graph`) → reason (:mod:`kg.reason`)
→ export (:mod:`kg.export`).
"""

__version__ = "0.1.0"
