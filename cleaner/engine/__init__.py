"""Engines run `cleaner.pipeline.process` over a stream of inputs: a local process pool by default."""
