"""cleaner: turn scraped articles into a clean, auditable corpus."""

from cleaner.api import QuarantineError, clean
from cleaner.batch import clean_batch
from cleaner.config import Config
from cleaner.document import Document, Span

__all__ = ["Config", "Document", "QuarantineError", "Span", "clean", "clean_batch"]
