"""Extract: bytes to normalised text (decode, HTML main-text extraction, normalisation)."""
