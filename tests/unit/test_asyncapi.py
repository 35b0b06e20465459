"""The AsyncAPI document: schemas/asyncapi.json is what the generator writes now, and it is valid AsyncAPI 3.0.

The official JSON Schema comes from the npm package @asyncapi/specs, fetched once per machine with `npm pack`
into ~/.cache/claimwatch (never committed); every $ref it makes is resolved from the package, offline."""
import copy
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

from schemas import asyncapi
from schemas.topics import TOPICS

SPECS_VERSION = "6.11.1"  # @asyncapi/specs, pinned: its schemas/3.0.0.json is the official AsyncAPI 3.0.0 schema


def specs_home() -> Path:
    """$CLAIMWATCH_ASYNCAPI_SPECS, else ~/.cache/claimwatch/asyncapi-specs-<version> (like the Kafka jars)."""
    if os.environ.get("CLAIMWATCH_ASYNCAPI_SPECS"):
        return Path(os.environ["CLAIMWATCH_ASYNCAPI_SPECS"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "claimwatch" / f"asyncapi-specs-{SPECS_VERSION}"


def asyncapi_3_schema() -> dict:
    home = specs_home()
    schema_file = home / "package" / "schemas" / "3.0.0.json"
    if not schema_file.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: cannot fetch @asyncapi/specs to validate schemas/asyncapi.json")
        home.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=home.parent) as tmp:
            subprocess.run([npm, "pack", f"@asyncapi/specs@{SPECS_VERSION}", "--pack-destination", tmp,
                            "--silent"], check=True, timeout=300, capture_output=True, cwd=tmp)
            (tarball,) = Path(tmp).glob("*.tgz")
            unpacked = Path(tmp) / "unpacked"
            with tarfile.open(tarball) as tar:
                tar.extractall(unpacked, filter="data")
            if not home.exists():  # another run may have finished first
                unpacked.rename(home)
    return json.loads(schema_file.read_text(encoding="utf-8"))


def validator(schema: dict):
    from jsonschema import Draft7Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    def offline(uri: str):
        raise LookupError(f"not in @asyncapi/specs: {uri}")  # never fetched from the network

    # the bundled schema carries every definition (draft-07 meta-schema included) under its own $id
    registry = Registry(retrieve=offline).with_resource(schema["$id"], DRAFT7.create_resource(schema)).crawl()
    return Draft7Validator(schema, registry=registry)


def test_asyncapi_file_is_what_the_generator_writes():
    assert asyncapi.ASYNCAPI_FILE.is_file(), "run `make schemas` to write schemas/asyncapi.json"
    assert asyncapi.ASYNCAPI_FILE.read_text(encoding="utf-8") == asyncapi.rendered(), \
        "schemas/asyncapi.json drifted from schemas/: run `make schemas`"


def test_every_topic_is_a_channel_with_its_contract_and_its_services():
    doc = asyncapi.document()
    addresses = {channel["address"]: channel for channel in doc["channels"].values()}
    assert set(addresses) == {spec.name for spec in TOPICS}
    for spec in TOPICS:
        message = addresses[spec.name]["messages"][spec.value]
        assert message["payload"] == {"$ref": f"#/components/schemas/{spec.value}"}
        assert spec.sent_by, f"{spec.name}: nobody sends it"
    roles = {(op["tags"][0]["$ref"].rsplit("/", 1)[1], op["action"], op["channel"]["$ref"].rsplit("/", 1)[1])
             for op in doc["operations"].values()}
    assert ("ingestor", "send", "articles") in roles
    assert ("extractor", "receive", "articles") in roles
    assert ("extractor", "send", "articles_dlq") in roles
    assert ("alerter", "receive", "alerts_retry") in roles


def _local_refs(node, found):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.append(node["$ref"])
        for value in node.values():
            _local_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _local_refs(value, found)
    return found


def test_every_reference_points_into_the_document():
    doc = asyncapi.document()
    for ref in _local_refs(doc, []):
        assert ref.startswith("#/"), ref
        target = doc
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]


def test_document_is_valid_asyncapi_3():
    check = validator(asyncapi_3_schema())
    errors = sorted(check.iter_errors(asyncapi.document()), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    # and the check can fail: AsyncAPI 2's "publish" is no 3.0 action
    broken = copy.deepcopy(asyncapi.document())
    next(iter(broken["operations"].values()))["action"] = "publish"
    assert list(check.iter_errors(broken))


# Which code each service of the operations is; the test below reads its topic uses from there.
SERVICE_MODULES = {
    "ingestor": ("services/ingestor/*.py",),
    "extractor": ("services/extractor/*.py",),
    "alerter": ("services/alerter/*.py",),
    "redeliver": ("services/alerter/redeliver.py",),
}
NOT_THE_ALERTER = {"services/alerter/redeliver.py"}  # a command of its own, not the alerter's workers
# calls whose first argument (or its list's items) is a topic the caller reads or writes
TOPIC_CALLS = {"topic", "send", "subscribe", "KafkaConsumer", "AIOKafkaConsumer", "TopicPartition",
               "partitions_for_topic"}


def _topic_uses(path: Path) -> set[str]:
    import ast

    from schemas import topics

    def topic_of(node) -> str | None:
        if isinstance(node, ast.Name) and node.id.isupper() and isinstance(getattr(topics, node.id, None), str):
            return getattr(topics, node.id)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "dead_letter" and node.args:
            inner = topic_of(node.args[0])
            return inner and topics.dead_letter(inner)
        return None

    uses = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func in TOPIC_CALLS:
                first = node.args[0]
                for item in first.elts if isinstance(first, (ast.List, ast.Tuple)) else [first]:
                    if topic_of(item):
                        uses.add(topic_of(item))
    return uses


@pytest.mark.parametrize("service", sorted(SERVICE_MODULES))
def test_operations_name_the_topics_each_service_uses_in_its_code(service):
    root = Path(__file__).resolve().parents[2]
    files = {p for pattern in SERVICE_MODULES[service] for p in root.glob(pattern)}
    if service == "alerter":
        files = {p for p in files if p.relative_to(root).as_posix() not in NOT_THE_ALERTER}
    in_code = set().union(*(_topic_uses(p) for p in files))
    declared = {spec.name for spec in TOPICS if service in spec.sent_by + spec.received_by}
    assert in_code == declared, f"{service}: the code uses {sorted(in_code)}, schemas/topics.py says " \
                                f"{sorted(declared)}"
