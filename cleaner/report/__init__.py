"""Report: the corpus audit (summary.json, summary.md, index.html) computed from the records alone."""
