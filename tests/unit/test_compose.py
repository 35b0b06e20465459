"""docker-compose.yml checked without a Docker engine: against the Compose specification's JSON schema,
by Debian's docker-compose where it is installed, and for the invariants an ops team relies on."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from services.alerter.settings import AlerterSettings
from services.common.kafka_settings import KafkaSettings
from services.extractor.settings import ExtractorSettings
from services.ingestor.settings import IngestorSettings
from services.sink.settings import SinkSettings
from tests.conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
# What each service's command runs, and the settings classes that read its environment
SETTINGS_OF_COMMAND = {
    "extractor": [ExtractorSettings],
    "alerter": [AlerterSettings],
    "ingest-api": [IngestorSettings],
    "replay": [IngestorSettings],
    "sink": [SinkSettings],
    "topics": [KafkaSettings, AlerterSettings],
}
_VAR = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?:(?P<op>:?[-?])(?P<rest>[^}]*))?\}")


def load() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, enough to read ports and replicas."""
    def value(match: re.Match[str]) -> str:
        name, op, rest = match.group("name"), match.group("op"), match.group("rest")
        if env.get(name):
            return env[name]
        return rest if op in (":-", "-") else ""
    return _VAR.sub(value, str(text))


def long_running(service: dict) -> bool:
    return service.get("restart", "no") != "no" and not service.get("profiles")


def check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    tool = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run([str(tool), "--builtin-schema", "vendor.compose-spec", str(path)],
                          capture_output=True, text=True, timeout=120)


def test_compose_file_follows_the_compose_specification():
    result = check_jsonschema(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_compose_file(tmp_path):
    broken = load()
    broken["services"]["extractor"]["helthcheck"] = broken["services"]["extractor"].pop("healthcheck")
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(broken))
    result = check_jsonschema(path)
    assert result.returncode != 0 and "helthcheck" in result.stdout + result.stderr


def _docker_compose(tmp_path: Path, env_lines: list[str]) -> subprocess.CompletedProcess:
    env_file = tmp_path / "compose.env"
    env_file.write_text("\n".join(env_lines) + "\n")
    return subprocess.run(["docker-compose", "--env-file", str(env_file), "-f", str(COMPOSE), "config", "-q"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.skipif(shutil.which("docker-compose") is None,
                    reason="Debian's docker-compose is not installed: `apt-get install docker-compose` "
                           "(.ci/run installs it)")
def test_docker_compose_config_accepts_the_file_with_the_example_env(tmp_path):
    result = _docker_compose(tmp_path, _example_env_with_secrets())
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("docker-compose") is None,
                    reason="Debian's docker-compose is not installed: `apt-get install docker-compose` "
                           "(.ci/run installs it)")
def test_docker_compose_config_refuses_to_start_without_secrets(tmp_path):
    result = _docker_compose(tmp_path, [])
    assert result.returncode != 0
    assert "set CLAIMWATCH_" in result.stderr and ".env" in result.stderr


def _example_env_with_secrets() -> list[str]:
    """.env.example with its secret placeholders filled in, as an operator would."""
    lines = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.split("  #")[0].strip()
        if line and not line.startswith("#"):
            lines.append(line.replace("change-me", "a-real-value"))
    return lines


def _example_env() -> dict[str, str]:
    return dict(line.split("=", 1) for line in _example_env_with_secrets())


def test_images_are_pinned():
    for name, service in load()["services"].items():
        image = interpolate(service["image"], {})
        repository, _, tag = image.rpartition(":")
        assert repository and tag and tag != "latest" and "/" not in tag, f"{name}: image {image!r} is not pinned"


def test_long_running_services_have_a_healthcheck_and_a_restart_policy():
    services = load()["services"]
    running = [name for name, service in services.items() if long_running(service)]
    assert {"kafka", "extractor", "alerter", "ingestor", "sink", "prometheus", "grafana"} <= set(running)
    for name in running:
        check = services[name].get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
        assert services[name]["restart"] in ("always", "unless-stopped", "on-failure"), name


def test_the_kafka_healthcheck_asks_the_broker_itself():
    test = " ".join(load()["services"]["kafka"]["healthcheck"]["test"])
    assert "kafka-broker-api-versions" in test and "19092" in test


def test_dependencies_wait_for_health_or_completion():
    services = load()["services"]
    for name, service in services.items():
        for dependency, rule in (service.get("depends_on") or {}).items():
            assert dependency in services, f"{name} depends on undefined {dependency}"
            one_shot = services[dependency].get("restart") == "no"
            expected = "service_completed_successfully" if one_shot else "service_healthy"
            assert rule.get("condition") == expected, f"{name} -> {dependency}: {rule}"


def _host_ports(env: dict[str, str]) -> list[tuple[str, int]]:
    used = []
    for name, service in load()["services"].items():
        for mapping in service.get("ports", []):
            host = interpolate(mapping, env).rsplit(":", 1)[0]
            first, _, last = host.partition("-")
            used += [(name, port) for port in range(int(first), int(last or first) + 1)]
    return used


def test_no_two_services_publish_the_same_host_port():
    used = _host_ports(_example_env())
    ports = [port for _, port in used]
    clashes = {port for port in ports if ports.count(port) > 1}
    assert not clashes, [entry for entry in used if entry[1] in clashes]


def test_the_port_check_sees_a_clash():
    clashing = _host_ports({**_example_env(), "GRAFANA_HOST_PORT": "9090"})
    ports = [port for _, port in clashing]
    assert ports.count(9090) == 2


def _known_variables(settings_classes) -> set[str]:
    known = set()
    for cls in settings_classes:
        prefix = cls.model_config.get("env_prefix", "")
        known |= {f"{prefix}{field}".upper() for field in cls.model_fields}
        if "kafka" in cls.model_fields or cls is KafkaSettings:
            known |= {f"CLAIMWATCH_KAFKA_{field}".upper() for field in KafkaSettings.model_fields}
    return known


def test_every_claimwatch_variable_is_read_by_the_service_it_is_given_to():
    for name, service in load()["services"].items():
        command = service.get("command")
        if "claimwatch" not in service["image"]:
            continue
        known = _known_variables(SETTINGS_OF_COMMAND[command[0]])
        for variable in service.get("environment") or {}:
            if variable.startswith("CLAIMWATCH_"):
                assert variable in known, f"{name}: {variable} is not a setting of {command[0]}"


def test_the_settings_check_catches_a_misspelt_variable():
    known = _known_variables([AlerterSettings])
    assert "CLAIMWATCH_ALERTER_WEBHOOKS" in known and "CLAIMWATCH_KAFKA_PARTITIONS" in known
    assert "CLAIMWATCH_ALERTER_WEBHOOK" not in known


def test_every_required_variable_is_in_env_example():
    required = {m.group("name") for m in _VAR.finditer(COMPOSE.read_text()) if m.group("op") in (":?", "?")}
    assert required, "the stack needs secrets from .env"
    assert required <= set(_example_env()), required - set(_example_env())


def test_extractor_and_alerter_replicas_are_settable():
    services = load()["services"]
    for name in ("extractor", "alerter"):
        replicas = services[name]["deploy"]["replicas"]
        assert interpolate(replicas, {f"CLAIMWATCH_{name.upper()}_REPLICAS": "3"}) == "3"


def test_prometheus_and_grafana_load_the_provisioned_files():
    services = load()["services"]
    assert "./deploy/prometheus:/etc/prometheus:ro" in services["prometheus"]["volumes"]
    volumes = services["grafana"]["volumes"]
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in volumes
    assert "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro" in volumes
    assert services["replay"]["profiles"] == ["replay"]
