"""docker-compose.yml checked without a Docker engine: against the Compose specification's JSON schema,
by Debian's docker-compose where it is installed, and for the invariants an ops team relies on."""
from __future__ import annotations

import os
import re
import shlex
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


@pytest.mark.skipif(shutil.which("docker-compose") is None,
                    reason="Debian's docker-compose is not installed: `apt-get install docker-compose` "
                           "(.ci/run installs it)")
def test_docker_compose_publishes_every_port_on_loopback_by_default(tmp_path):
    env_file = tmp_path / "compose.env"
    env_file.write_text("\n".join(line for line in _example_env_with_secrets()
                                  if not line.startswith("CLAIMWATCH_BIND_ADDRESS=")) + "\n")
    result = subprocess.run(["docker-compose", "--env-file", str(env_file), "-f", str(COMPOSE), "config"],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    ports = [mapping for service in yaml.safe_load(result.stdout)["services"].values()
             for mapping in service.get("ports", [])]
    assert len(ports) >= 6 and {_published(mapping, {})[0] for mapping in ports} == {"127.0.0.1"}, ports


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


def _published(mapping, env: dict[str, str]) -> tuple[str, str]:
    """(host address, host port or range) of a mapping, short "[ADDRESS:]HOST:CONTAINER" or long syntax."""
    if isinstance(mapping, dict):
        return interpolate(mapping.get("host_ip", ""), env), interpolate(mapping.get("published", ""), env)
    host = interpolate(mapping, env).rsplit(":", 1)[0]
    address, _, ports = host.rpartition(":")
    return address, ports


def _host_ports(env: dict[str, str]) -> list[tuple[str, int]]:
    used = []
    for name, service in load()["services"].items():
        for mapping in service.get("ports", []):
            first, _, last = _published(mapping, env)[1].partition("-")
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


def _ports_without_the_bind_address(compose: dict) -> list[str]:
    """Every published port whose address is not CLAIMWATCH_BIND_ADDRESS, with 127.0.0.1 when it is unset."""
    chosen = "192.0.2.7"  # a documentation address: any value the operator sets must come through
    wrong = []
    for name, service in compose["services"].items():
        for mapping in service.get("ports", []):
            if (_published(mapping, {})[0] != "127.0.0.1"
                    or _published(mapping, {"CLAIMWATCH_BIND_ADDRESS": chosen})[0] != chosen):
                wrong.append(f"{name}: {mapping}")
    return wrong


def test_every_published_port_binds_to_the_bind_address():
    services = load()["services"]
    publishing = {name for name, service in services.items() if service.get("ports")}
    assert {"kafka", "alerter", "ingestor", "sink", "prometheus", "grafana"} <= publishing
    assert not _ports_without_the_bind_address(load()), _ports_without_the_bind_address(load())


def test_the_bind_check_sees_a_port_open_on_every_interface():
    compose = load()
    compose["services"]["kafka"]["ports"] = ["${KAFKA_HOST_PORT:-9092}:9092"]
    compose["services"]["grafana"]["ports"] = [{"target": 3000, "published": 3000}]
    compose["services"]["sink"]["ports"] = ["127.0.0.1:8090:8090"]  # loopback, but not settable
    assert _ports_without_the_bind_address(compose) == ["kafka: ${KAFKA_HOST_PORT:-9092}:9092",
                                                         "sink: 127.0.0.1:8090:8090",
                                                         "grafana: {'target': 3000, 'published': 3000}"]


def test_the_bind_address_is_loopback_unless_set():
    mapping = load()["services"]["alerter"]["ports"][0]
    assert _published(mapping, {}) == ("127.0.0.1", "6067-6070")
    assert _published(mapping, {"CLAIMWATCH_BIND_ADDRESS": "10.1.2.3"}) == ("10.1.2.3", "6067-6070")
    assert _example_env()["CLAIMWATCH_BIND_ADDRESS"] == "127.0.0.1"


def test_the_alerter_requires_its_api_token():
    value = load()["services"]["alerter"]["environment"]["CLAIMWATCH_ALERTER_API_TOKEN"]
    match = _VAR.fullmatch(value)
    assert match and match.group("name") == "CLAIMWATCH_ALERTER_API_TOKEN" and match.group("op") == ":?"


def test_every_secret_in_env_example_says_how_to_make_one():
    """Each change-me has, in the comment block just above it, the command that generates a real value."""
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    secrets = [i for i, line in enumerate(lines) if not line.startswith("#") and "change-me" in line]
    assert len(secrets) >= 5, [lines[i] for i in secrets]
    for i in secrets:
        above = []
        for line in reversed(lines[:i]):
            if not line.startswith("#"):
                break
            above.append(line)
        comment = " ".join(above)
        assert "secrets.token_urlsafe(32)" in comment or "os.urandom(24)" in comment, lines[i]


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


# --- deploy/kafka: TLS, SASL and ACLs, so that only the alerter may write alerts ---
SECURE = ROOT / "deploy" / "kafka" / "docker-compose.secure.yml"
ACLS = ROOT / "deploy" / "kafka" / "acls.sh"
MAKE_SECRETS = ROOT / "deploy" / "kafka" / "make-secrets.sh"
KAFKA_CLIENTS = {"topics", "extractor", "alerter", "ingestor", "replay"}


def test_the_secure_override_follows_the_compose_specification():
    result = check_jsonschema(SECURE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_kafka_scripts_are_valid_bash():
    for script in (ACLS, MAKE_SECRETS):
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, f"{script.name}: {result.stderr}"


def test_the_secure_override_gives_every_kafka_client_its_own_user_over_tls():
    secure = yaml.safe_load(SECURE.read_text(encoding="utf-8"))["services"]
    users = {}
    for name in KAFKA_CLIENTS:
        env = secure[name]["environment"]
        assert env["CLAIMWATCH_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL", name
        assert env["CLAIMWATCH_KAFKA_SSL_CAFILE"] and env["CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:19092"
        assert _VAR.fullmatch(env["CLAIMWATCH_KAFKA_SASL_PASSWORD"]).group("op") == ":?", name
        users[name] = env["CLAIMWATCH_KAFKA_SASL_USERNAME"]
    assert users == {"topics": "topics", "extractor": "extractor", "alerter": "alerter", "ingestor": "ingestor",
                     "replay": "ingestor"}
    kafka = secure["kafka"]["environment"]
    protocols = dict(item.split(":") for item in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert protocols["INTERNAL"] == protocols["HOST"] == "SASL_SSL" and "PLAINTEXT" not in protocols.values()
    assert "localhost:" in kafka["KAFKA_LISTENERS"].split("CONTROLLER://")[1]  # the container's loopback only
    assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false" and kafka["KAFKA_SUPER_USERS"] == "User:admin"
    assert secure["topics"]["depends_on"]["kafka-acls"]["condition"] == "service_completed_successfully"


def _grants(env: dict[str, str] | None = None) -> list[tuple[str, str, str, str, str]]:
    """(principal, operation, resource type, pattern type, name) for every ACL that `acls.sh print` adds."""
    result = subprocess.run(["bash", str(ACLS), "print"], capture_output=True, text=True, timeout=30,
                            env={"PATH": "/usr/bin:/bin", **(env or {})})
    assert result.returncode == 0, result.stderr
    grants = []
    for line in result.stdout.splitlines():
        words = shlex.split(line)

        def value(flag: str) -> list[str]:
            return [words[i + 1] for i, word in enumerate(words) if word == flag]

        [principal] = value("--allow-principal")
        pattern = (value("--resource-pattern-type") or ["literal"])[0]
        resources = [("topic", name) for name in value("--topic")] + [("group", name) for name in value("--group")]
        if "--cluster" in words:
            resources.append(("cluster", "kafka-cluster"))
        grants += [(principal, op, kind, pattern, name) for op in value("--operation") for kind, name in resources]
    return grants


def _who_may(grants, operation: str, topic: str) -> set[str]:
    """Principals whose ACLs allow `operation` on `topic`, counting All, wildcards and prefixes."""
    def covers(pattern: str, name: str) -> bool:
        return name == "*" or (name == topic if pattern == "literal" else topic.startswith(name))
    return {principal for principal, op, kind, pattern, name in grants
            if kind == "topic" and op in (operation, "All") and covers(pattern, name)}


def test_only_the_alerter_may_write_alerts_and_only_the_ingestor_articles():
    grants = _grants()
    assert _who_may(grants, "Write", "alerts") == {"User:alerter"}
    assert _who_may(grants, "Write", "articles") == {"User:ingestor"}
    assert _who_may(grants, "Write", "claims") == {"User:extractor"}
    assert _who_may(grants, "Read", "articles") == {"User:extractor"}
    assert _who_may(grants, "Read", "claims") == {"User:alerter"}
    assert not [grant for grant in grants if grant[0] == "User:sink" or grant[4] == "*"]


def test_the_acl_check_sees_a_wildcard_or_prefix_that_lets_another_writer_in():
    grants = _grants()
    assert _who_may(grants + [("User:ingestor", "All", "topic", "literal", "*")], "Write", "alerts") == {
        "User:alerter", "User:ingestor"}
    assert _who_may(grants + [("User:extractor", "Write", "topic", "prefixed", "al")], "Write", "alerts") == {
        "User:alerter", "User:extractor"}


def test_the_acls_cover_every_topic_and_follow_the_app_ids():
    from schemas.topics import TOPICS, changelog_topics

    grants = _grants({"CLAIMWATCH_ALERTER_APP_ID": "cw-alerter-b", "CLAIMWATCH_EXTRACTOR_APP_ID": "cw-extractor-b"})
    for spec in TOPICS:  # the topics job may create each, and someone may write it
        assert _who_may(grants, "Create", spec.name) == {"User:topics"}, spec.name
    for changelog in changelog_topics("cw-alerter-b"):
        assert _who_may(grants, "Write", changelog) == {"User:alerter"}, changelog
    groups = {(principal, name) for principal, op, kind, pattern, name in grants if kind == "group"}
    assert ("User:alerter", "cw-alerter-b") in groups and ("User:extractor", "cw-extractor-b") in groups


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_make_secrets_gives_the_broker_and_env_the_same_users(tmp_path):
    out = tmp_path / "secrets"
    result = subprocess.run(["bash", str(MAKE_SECRETS), str(out)], capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "KAFKA_ADVERTISED_HOST": "kafka.example.org",
                                 "KAFKA_UID": "0"})
    assert result.returncode == 0, result.stderr
    passwords = dict(line.split("=", 1) for line in (out / "kafka.env").read_text().splitlines()
                     if line and not line.startswith("#"))
    secure = yaml.safe_load(SECURE.read_text(encoding="utf-8"))["services"]
    needed = {_VAR.fullmatch(secure[name]["environment"]["CLAIMWATCH_KAFKA_SASL_PASSWORD"]).group("name"):
              secure[name]["environment"]["CLAIMWATCH_KAFKA_SASL_USERNAME"] for name in KAFKA_CLIENTS}
    assert set(needed) == set(passwords)
    jaas = (out / "broker" / "kafka_server_jaas.conf").read_text()
    for variable, user in needed.items():
        assert f'user_{user}="{passwords[variable]}"' in jaas and len(passwords[variable]) >= 32
    assert len(set(passwords.values())) == len(passwords)  # one password per user
    store_password = (out / "broker" / "keystore_creds").read_text()
    certificate = subprocess.run(["openssl", "pkcs12", "-in", str(out / "broker" / "kafka.p12"), "-nokeys",
                                  "-clcerts", "-passin", f"pass:{store_password}"],
                                 capture_output=True, text=True, timeout=30)
    names = subprocess.run(["openssl", "x509", "-noout", "-ext", "subjectAltName"], input=certificate.stdout,
                           capture_output=True, text=True, timeout=30).stdout
    assert "DNS:kafka," in names and "DNS:kafka.example.org" in names
    assert not (out / "broker" / "ca.key").exists() and (out / "ca" / "ca.key").exists()  # never mounted
    again = subprocess.run(["bash", str(MAKE_SECRETS), str(out)], capture_output=True, text=True, timeout=60)
    assert again.returncode != 0 and "already holds secrets" in again.stderr


@pytest.mark.skipif(shutil.which("docker-compose") is None,
                    reason="Debian's docker-compose is not installed: `apt-get install docker-compose` "
                           "(.ci/run installs it)")
def test_docker_compose_merges_the_secure_override_and_requires_its_passwords(tmp_path):
    env_lines = _example_env_with_secrets()
    env_file = tmp_path / "compose.env"

    def config(lines):
        env_file.write_text("\n".join(lines) + "\n")
        return subprocess.run(["docker-compose", "--env-file", str(env_file), "-f", str(COMPOSE), "-f", str(SECURE),
                               "config"], capture_output=True, text=True, timeout=120, cwd=ROOT)

    missing = config(env_lines)
    assert missing.returncode != 0 and "make-secrets.sh" in missing.stderr
    passwords = [f"KAFKA_{user}_PASSWORD=p{i}-{os.urandom(8).hex()}"
                 for i, user in enumerate(("TOPICS", "INGESTOR", "EXTRACTOR", "ALERTER"))]
    merged = config(env_lines + passwords)
    assert merged.returncode == 0, merged.stderr
    services = yaml.safe_load(merged.stdout)["services"]
    for name in KAFKA_CLIENTS:
        assert services[name]["environment"]["CLAIMWATCH_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL", name
    assert services["kafka"]["environment"]["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].count("SASL_SSL") == 2
    assert {_published(mapping, {})[0] for s in services.values() for mapping in s.get("ports", [])} == {"127.0.0.1"}
