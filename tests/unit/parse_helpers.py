"""What the parse-based unit tests share: the skip when no spaCy model is installed, claims by value, and an
entity's or a source's words. Only unit tests import it, so integration tests never load the model."""
import pytest

from services.extractor.extraction import parse
from tests.helpers import claims_of

needs_model = pytest.mark.skipif(parse.nlp() is None, reason="no spaCy model installed")


def claims_by_value(text: str) -> dict:
    return {c.value: c for c in claims_of(text)}


def words(text: str | None) -> set[str]:
    """Lower-case words, commas dropped: 'Fire chief Marta Olsen, the mayor' -> {'fire', 'chief', ...}."""
    return set((text or "").lower().replace(",", " ").split())
