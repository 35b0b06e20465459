"""The AsyncAPI 3.0 description of claimwatch's topics, generated from schemas/ (`make schemas` writes it).

Channels are the topics of schemas.topics.TOPICS, each message's payload is the JSON Schema of its pydantic
contract (schemas.models.EXPORTED_MODELS) and the operations say which service sends or receives each
channel (TopicSpec.sent_by / received_by). Nothing here is written by hand, so it cannot drift."""
from __future__ import annotations

import json
from pathlib import Path

from pydantic.json_schema import models_json_schema

from schemas.models import EXPORTED_MODELS, SCHEMA_VERSION
from schemas.topics import TOPICS, TopicSpec

ASYNCAPI_FILE = Path(__file__).with_name("asyncapi.json")
# Kafka bindings version understood by the AsyncAPI 3.0.0 schema
KAFKA_BINDING = "0.5.0"
# the programs that read or write the topics; the operations are tagged with these names
SERVICES = {
    "ingestor": "services/ingestor: publishes articles from files, stdin, HTTP and replays.",
    "extractor": "services/extractor (Faust): articles -> claims.",
    "alerter": "services/alerter (Faust): claims -> decisions -> alerts -> signed webhooks, with retry lanes "
               "and shared endpoint state.",
    "redeliver": "`claimwatch redeliver` (services/alerter/redeliver.py): re-sends dead-lettered alerts.",
}


def _schema_ref(model: str) -> dict:
    return {"$ref": f"#/components/schemas/{model}"}


def _channel_id(topic: str) -> str:
    # AsyncAPI ids are used in JSON pointers; a dot is allowed, kept readable: "articles.dlq" -> "articles_dlq"
    return topic.replace(".", "_")


def _channel(spec: TopicSpec) -> dict:
    key = {"description": spec.key} if spec.key == "original key" else {"type": "string", "description": spec.key}
    message = {
        "name": spec.value,
        "title": spec.value,
        "contentType": "application/json",
        "payload": _schema_ref(spec.value),
        "bindings": {"kafka": {"key": key, "bindingVersion": KAFKA_BINDING}},
    }
    return {
        "address": spec.name,
        "title": spec.name,
        "description": f"Kafka topic {spec.name}: {spec.value} records keyed by {spec.key}"
                       + (" (compacted)." if spec.compacted else "."),
        "messages": {spec.value: message},
        "bindings": {"kafka": {
            "topic": spec.name,
            "topicConfiguration": {"cleanup.policy": ["compact" if spec.compacted else "delete"]},
            "bindingVersion": KAFKA_BINDING,
        }},
    }


def _operations() -> dict:
    operations = {}
    for spec in TOPICS:
        channel = _channel_id(spec.name)
        for action, services in (("send", spec.sent_by), ("receive", spec.received_by)):
            for service in services:
                if service not in SERVICES:
                    raise ValueError(f"{spec.name}: unknown service {service!r} (add it to SERVICES)")
                operations[f"{service}_{action}_{channel}"] = {
                    "action": action,
                    "title": f"{service} {action}s {spec.name}",
                    "channel": {"$ref": f"#/channels/{channel}"},
                    "messages": [{"$ref": f"#/channels/{channel}/messages/{spec.value}"}],
                    "tags": [{"$ref": f"#/components/tags/{service}"}],
                }
    return operations


def _component_schemas() -> dict:
    used = sorted({spec.value for spec in TOPICS})
    missing = [name for name in used if name not in EXPORTED_MODELS]
    if missing:
        raise ValueError(f"topics carry models schemas.models does not export: {missing}")
    # one shared set of definitions, referenced as #/components/schemas/<Model> (no per-model $defs)
    _, top = models_json_schema([(EXPORTED_MODELS[name], "serialization") for name in used],
                                ref_template="#/components/schemas/{model}")
    return top["$defs"]


def document() -> dict:
    return {
        "asyncapi": "3.0.0",
        "id": "urn:claimwatch",
        "info": {
            "title": "claimwatch",
            "version": f"schema-{SCHEMA_VERSION}",
            "description": "The Kafka topics between claimwatch's services. Generated from schemas/ by "
                           "`make schemas`; do not edit by hand.",
        },
        "defaultContentType": "application/json",
        "channels": {_channel_id(spec.name): _channel(spec) for spec in TOPICS},
        "operations": _operations(),
        "components": {
            "schemas": _component_schemas(),
            "tags": {name: {"name": name, "description": text} for name, text in SERVICES.items()},
        },
    }


def rendered() -> str:
    """The exact text `make schemas` writes to schemas/asyncapi.json."""
    return json.dumps(document(), indent=2, sort_keys=True) + "\n"
