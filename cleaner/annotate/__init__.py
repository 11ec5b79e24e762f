"""Annotate: language, provenance and flags, added to the record after cleaning."""
