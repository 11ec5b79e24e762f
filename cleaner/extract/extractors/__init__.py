"""HTML main-text extractors. Importing this package imports every extractor, so the registry is complete."""

from cleaner.extract.extractors import (  # noqa: F401
    readability_extractor,
    resiliparse_extractor,
    trafilatura_extractors,
)
from cleaner.extract.extractors.registry import EXTRACTORS, Extracted, Extractor, register

__all__ = ["EXTRACTORS", "Extracted", "Extractor", "register"]
