"""Near-duplicate detection: shingles -> MinHash signatures -> LSH candidates -> verified clusters.

`stage.dedup_corpus` is the corpus-level step behind `cleaner dedup` and `cleaner run`; the functions in
`shingles`, `minhash` and `lsh` are pure functions on batches so that other engines can reuse them.
"""
