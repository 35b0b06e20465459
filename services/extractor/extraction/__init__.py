"""Pure claim extraction: article in, claims out, no I/O."""
from services.extractor.extraction.extract import EXTRACTOR_VERSION, extract_claims

__all__ = ["EXTRACTOR_VERSION", "extract_claims"]
