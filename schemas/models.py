"""Message contracts shared by every claimwatch service.

Every record on a claimwatch topic is one of these models, serialised as JSON.
Services validate at the edge: a record that does not parse goes to the topic's
dead-letter twin as a `DeadLetter`, never into the domain code.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.timeparse import as_utc_aware, parse_time

SCHEMA_VERSION = 1
# A value far above any real news article, but bounded so one record cannot exhaust a worker.
MAX_ARTICLE_CHARS = 2_000_000

Number = int | float


def content_hash(text: str) -> str:
    """Hash of the article text, insensitive to Unicode form and whitespace layout.

    It is the Kafka key of `articles`, so a re-ingested copy of the same text is
    recognised as the same article wherever it comes from."""
    normal = unicodedata.normalize("NFC", text)
    normal = re.sub(r"\s+", " ", normal).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


class _Contract(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, ser_json_inf_nan="null")


def timestamp_input(value: object) -> object:
    """ISO 8601 text read the one way every input is read (schemas.timeparse); numbers refused."""
    # the contract says ISO 8601 text; a bare number would silently become a 1970 date
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("must be an ISO 8601 date or date-time string, not a number")
    if isinstance(value, str):
        if len(value) > 64:  # do not echo a huge value back in the message
            raise ValueError(f"not an ISO 8601 date or date-time: a {len(value)}-character string")
        return parse_time(value)
    return value


def utc_aware(value: datetime | None) -> datetime | None:
    # Naive timestamps are read as UTC so that every comparison is well defined.
    return None if value is None else as_utc_aware(value)


def http_url(value: object) -> object:
    """An http(s) address, or None for a blank one; any other scheme (javascript:, data:, file:) is refused,
    because analysts click these links."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("must be an http:// or https:// address without spaces or control characters")
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ValueError("must be a well-formed http:// or https:// address") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        what = f"a {scheme[:20]}: address" if scheme else "a relative address"
        raise ValueError(f"must be an http:// or https:// address, not {what}")
    if not parts.hostname:
        raise ValueError("must be an http:// or https:// address with a host name")
    return value


class Article(_Contract):
    """One news article as published to the `articles` topic."""

    id: Annotated[str, Field(min_length=1, max_length=300)]
    url: str | None = Field(default=None, description="An http:// or https:// address.")
    outlet: str | None = None
    title: str | None = None
    published_at: datetime | None = Field(
        default=None, description="Publication time; relative dates in the text resolve against it."
    )
    text: Annotated[str, Field(max_length=MAX_ARTICLE_CHARS)]
    language: str | None = Field(default=None, description="ISO 639-1 code if known.")
    content_hash: str = Field(default="", description="sha256 of the normalised text; the Kafka key.")
    ingested_at: datetime | None = Field(default=None, description="When the ingestor published it.")
    schema_version: int = SCHEMA_VERSION

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("article text is empty")
        return text

    _iso_text = field_validator("published_at", "ingested_at", mode="before")(timestamp_input)
    _aware = field_validator("published_at", "ingested_at")(utc_aware)
    _http_url = field_validator("url", mode="before")(http_url)

    @model_validator(mode="after")
    def _fill_hash(self) -> "Article":
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self.text))
        return self


class Qualifier(str, Enum):
    exact = "exact"
    approximate = "approximate"
    more_than = "more_than"
    at_least = "at_least"
    at_most = "at_most"
    range = "range"
    vague = "vague"


class Modality(str, Enum):
    reported = "reported"
    estimate = "estimate"
    projection = "projection"
    denial = "denial"
    retracted = "retracted"


class ClaimPlace(_Contract):
    """Where a figure holds, resolved in the gazetteer (GeoNames and ISO 3166), with its containment chain:
    the place, its first-level region, its country."""

    name: str = Field(description="The gazetteer's name of the place, e.g. 'Goma', 'North Kordofan', 'Nepal'.")
    kind: Literal["country", "region", "city"] = Field(
        description="country: ISO 3166-1; region: a first-level ISO 3166-2 subdivision; city: a GeoNames "
                    "populated place.")
    geonames_id: int | None = Field(default=None, description="GeoNames id of a city; None for countries "
                                    "and regions.")
    country_code: str = Field(description="ISO 3166-1 alpha-2, e.g. 'CD'.")
    country_name: str
    region_code: str | None = Field(default=None, description="The first-level region: ISO 3166-2 ('SD-KN') "
                                    "where known, else GeoNames' admin1 code ('CD.11'); None for a country.")
    region_name: str | None = Field(default=None, description="None for a country, and for a city whose "
                                    "region is known only by its GeoNames code.")


class QuantityEvent(_Contract):
    """The event a figure belongs to: what happened, where, when it began. Two figures can be about one quantity
    only when their events link (same type, compatible places, starts within a window); an unresolved event or
    place links to nothing outside its own article."""

    type: str | None = Field(default=None, description="Controlled vocabulary: earthquake, fire, flood, storm, "
                             "demonstration, war, outbreak, inauguration ...; None when the text names none.")
    name: str | None = Field(default=None, description="A named event ('hurricane maria'): names link alone.")
    place: ClaimPlace | None = Field(default=None, description="Where it happened, in the gazetteer; None when "
                                     "unresolved.")
    site: str | None = Field(default=None, description="The proper name the text gives the event ('the Grenfell "
                             "Tower fire' -> 'grenfell tower'): one site links two events whatever the gazetteer "
                             "makes of their places.")
    countries: list[str] = Field(default_factory=list, description="ISO codes of the countries the article "
                                 "names, most named first: a war's two sides, a border's two countries.")
    regions: list[str] = Field(default_factory=list, description="ISO 3166-2 codes of the first-level regions "
                               "the article's places lie in, most named first: two fires of one day in one country "
                               "are two events when their regions differ.")
    types: list[str] = Field(default_factory=list, description="Event types the article names, most named "
                             "first: a story told as a 'crackdown' in one article and a 'war' in another.")
    start: date | None = Field(default=None, description="The day it began, from the text or the publication day.")
    start_is_year: bool = Field(default=False, description="Only the year is known ('the 2017 fire'): start is "
                                "1 January of it, and it links by year.")
    key: str = Field(description="Readable and stable: type.country_code.start (or the name), 'unresolved...' "
                     "with the article hash when the type or place is unknown.")


class Quantity(_Contract):
    """What a figure measures. Two claims are the same quantity only when all of these agree; unknown never
    equals unknown."""

    event: QuantityEvent
    measure: str
    scope: ClaimPlace | None = Field(default=None, description="The place the figure covers (a town inside the "
                                     "event's country is a part of the country's figure).")
    scope_chain: list[str] = Field(default_factory=list, description="Containment, innermost first: "
                                   "city geonames id, region code, country code.")
    subject: str | None = Field(default=None, description="Whose troops, which group, which organisation.")
    kind: Literal["report", "projection", "cumulative", "increment"] = "report"
    by_place: bool = Field(default=False, description="The article gives this measure town by town: a figure of "
                           "it that names no place is the whole of the towns' figures, not one of them.")


class Claim(_Contract):
    """One figure about one quantity in one sentence, with its evidence."""

    claim_id: str = Field(description="Deterministic: article content hash + figure offsets.")
    article_id: str
    article_hash: str = ""
    article_url: str | None = Field(default=None, description="An http:// or https:// address.")
    outlet: str | None = None
    headline: str | None = Field(default=None, description="The article's title, shown with the figure.")
    published_at: datetime | None = None
    ingested_at: datetime | None = None

    figure_text: str = Field(description="The figure with the qualifier words that touch it.")
    char_start: int = Field(ge=0, description="Offset of figure_text in the article text.")
    char_end: int = Field(ge=0)
    sentence: str

    value: Number | None = None
    lower: Number | None = None
    upper: Number | None = None
    qualifier: Qualifier
    strict_lower: bool = Field(default=False, description="lower itself is excluded (more than X).")
    strict_upper: bool = Field(default=False, description="upper itself is excluded (fewer than X).")

    entity: str | None = Field(default=None, description="The counted noun, e.g. 'troops'.")
    actor: str | None = Field(default=None, description="Whose they are, or the event they belong to.")
    measure: str = Field(description="Controlled vocabulary, free text as a fallback.")
    currency: str | None = Field(default=None, description="ISO 4217 code when the figure is money ('USD'); "
                                 "value and bounds are then in that currency.")
    source_country: str | None = Field(default=None, description="ISO 3166 alpha-2 code of the country whose "
                                       "state the source speaks for, when the text says so: 'Turkey's disaster "
                                       "agency', 'Ukrainian officials', 'Norway's President X'.")
    cumulative: bool = False
    incremental: bool = False
    location: str | None = Field(default=None, description="Where the figure holds, as the text names it "
                                 "('Turkey and Syria', 'Goma').")
    place: ClaimPlace | None = Field(default=None, description="The location resolved in the gazetteer. None "
                                     "when no place is named; when the location names places in several "
                                     "countries; and when the gazetteer does not know it: such a place stays "
                                     "unknown (location set, place None) and is never matched to another.")
    as_of: date | None = None
    period_start: date | None = Field(default=None, description="When the text dates the figure by a period "
                                      "('in March', 'last week', 'in 2017') rather than a day: its first day "
                                      "(as_of is then None).")
    period_end: date | None = Field(default=None, description="The period's last day, at most the publication day.")
    reference_year: int | None = Field(default=None, description="An earlier year the figure is about "
                                       "('1.8 million in 2009'), when it is not the publication year.")
    time_text: str | None = None
    source: str | None = None
    modality: Modality = Modality.reported
    quantity_key: str
    quantity: Quantity | None = Field(default=None, description="The explicit quantity model; quantity_key is its "
                                      "readable, stable string (the alerter's table key).")
    carried_by: str | None = Field(default=None, description="claim_id of a more precise figure for the same "
                                   "quantity later in the same article ('nearly 3,000' then '2,975'); that one "
                                   "carries the alert.")
    schema_version: int = SCHEMA_VERSION

    _iso_text = field_validator("published_at", "ingested_at", mode="before")(timestamp_input)
    _aware = field_validator("published_at", "ingested_at")(utc_aware)
    _http_url = field_validator("article_url", mode="before")(http_url)

    @model_validator(mode="after")
    def _bounds_ordered(self) -> "Claim":
        if self.char_end < self.char_start:
            raise ValueError("char_end before char_start")
        for low, high in ((self.lower, self.value), (self.value, self.upper), (self.lower, self.upper)):
            if low is not None and high is not None and low > high:
                raise ValueError(f"bounds out of order: {self.lower} <= {self.value} <= {self.upper}")
        return self


class AlertKind(str, Enum):
    new = "new"
    update = "update"
    contradiction = "contradiction"
    denial = "denial"
    retraction = "retraction"  # a source withdraws its own figure
    # an amendment's kind when the figure it re-decides raises no alert in event order any more
    withdrawn = "withdrawn"


class Severity(str, Enum):
    info = "info"
    warning = "warning"
    critical = "critical"


class Alert(_Contract):
    """A decision about a claim, written to `alerts` and delivered by webhook."""

    alert_id: str = Field(description="Deterministic from kind, quantity, claim and related claims.")
    kind: AlertKind
    severity: Severity
    quantity_key: str
    summary: str = Field(description="One line an analyst can read.")
    claim: Claim
    related: list[Claim] = Field(default_factory=list)
    independent_sources: int = Field(default=1, ge=0)
    rule: str = Field(default="", description="The decision rule that raised the alert: a name in the README's "
                      "table of decision rules (services.alerter.decisions.RULES).")
    amended: bool = Field(default=False, description="Sent because a figure published earlier arrived later "
                          "and changed how this claim is decided in publication order.")
    supersedes: list[str] = Field(default_factory=list, description="The alert ids this amendment replaces (the "
                                  "claim's alert before a late figure changed it). A receiver that keeps per "
                                  "claim the alert of the highest revision, unless it is `withdrawn`, holds the "
                                  "alerts an in-order replay sends.")
    revision: int = Field(default=0, ge=0, description="How many claims its quantity had decided when this alert "
                          "was made. Of two alerts about one claim, the higher revision stands, in whatever order "
                          "they arrive (a retry can deliver an alert after its amendment).")
    schema_version: int = SCHEMA_VERSION

    @property
    def notice_id(self) -> str:
        """The id of this notice (the webhook-id): the alert id, or for an amendment one that also names what
        it supersedes, since an amendment may bring back an alert id sent before."""
        return notice_id(self.alert_id, self.supersedes)


def notice_id(alert_id: str, supersedes: list[str] | None = None) -> str:
    """Alert.notice_id from an alert's two fields (a stored alert, as JSON, has no properties)."""
    if not supersedes:
        return alert_id
    return hashlib.sha256("|".join(["amended", alert_id, *sorted(supersedes)]).encode()).hexdigest()[:32]


class DeadLetter(_Contract):
    """A record a service could not process, with why and the original bytes."""

    source_topic: str
    reason: str
    error: str = ""
    service: str
    endpoint: str | None = Field(default=None, description="The webhook endpoint a failed delivery was for; "
                                 "`claimwatch redeliver` re-sends it there only.")
    key_b64: str | None = None
    value_b64: str = ""
    partition: int | None = None
    offset: int | None = None
    failed_at: datetime
    schema_version: int = SCHEMA_VERSION


class DeliveryRetry(BaseModel):
    """A record on alerts.retry: one delivery of one alert to one endpoint, waiting for its next attempt.

    It names the endpoint, never its URL or secrets: the worker that makes the attempt reads those from
    its own settings."""
    model_config = ConfigDict(extra="ignore", frozen=True)

    endpoint: str
    attempt: int = Field(ge=0, description="Attempts already made.")
    not_before: datetime
    alert: Alert
    last_error: str = ""
    outbox_at: float | None = Field(default=None, description="When the alert was written to `alerts` (epoch s).")
    source_partition: int | None = None
    source_offset: int | None = None
    queued_by: str = Field(default="", description="The worker that queued it, so it knows when its own "
                           "queue for the alert's quantity has drained.")
    schema_version: int = SCHEMA_VERSION


class EndpointState(BaseModel):
    """A record on alerter.endpoints, keyed by endpoint name: disabled (after 410) or enabled again.

    The URL is kept as a hash (webhook URLs can carry tokens): a state applies only while the endpoint's
    configured URL is the one that answered, so pointing the endpoint at a new URL enables it again."""
    model_config = ConfigDict(extra="ignore", frozen=True)

    endpoint: str
    disabled: bool
    url_sha256: str
    reason: str = ""
    changed_at: datetime
    changed_by: str = "alerter"
    schema_version: int = SCHEMA_VERSION


WEBHOOK_EVENT_TYPES: dict[AlertKind, str] = {
    AlertKind.new: "claim.new",
    AlertKind.update: "claim.updated",
    AlertKind.contradiction: "claim.contradicted",
    AlertKind.denial: "claim.denied",
    AlertKind.retraction: "claim.retracted",
    AlertKind.withdrawn: "claim.withdrawn",
}

ModelName = Literal["Article", "Claim", "Alert", "DeadLetter", "DeliveryRetry", "EndpointState"]
EXPORTED_MODELS: dict[str, type[BaseModel]] = {
    "Article": Article,
    "Claim": Claim,
    "Alert": Alert,
    "DeadLetter": DeadLetter,
    "DeliveryRetry": DeliveryRetry,
    "EndpointState": EndpointState,
}
