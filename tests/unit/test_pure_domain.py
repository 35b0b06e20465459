"""The pure domain imports no I/O framework, directly or through the project modules it imports.

An AST walk from each pure module along every project-internal import (function-local ones too: they run
when the function does, and importing a.b.c runs a/__init__ and a/b/__init__ first). Third-party packages
are not followed: the rule is about which of them the domain reaches for."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("services", "schemas")

# The pure domain: whole packages (every module in them, new ones included) and single modules.
PURE_PACKAGES = ("schemas", "services.extractor.extraction")
PURE_MODULES = (
    "services.alerter.decisions",
    "services.alerter.history",
    "services.alerter.axis",
    "services.alerter.wording",
    "services.alerter.sources",
    "services.alerter.webhooks",  # payloads, signing, retry policy; the posting is in delivery.py
)
FORBIDDEN = ("faust", "aiohttp", "aiokafka", "kafka", "requests", "urllib.request", "socket")
# Known edges from the pure domain into impure modules, not followed; each must still exist (so a fixed one
# is removed from here). Why each is there is said beside it.
KNOWN_IMPURE_EDGES = {
    # the parse reads the spaCy model name from ExtractorSettings, which is a WorkerSettings whose
    # KafkaSettings.faust_config() imports faust
    ("services.extractor.extraction.parse", "services.extractor.settings"),
}


def module_file(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def pure_modules() -> list[str]:
    names = list(PURE_MODULES)
    for package in PURE_PACKAGES:
        folder = ROOT.joinpath(*package.split("."))
        for path in sorted(folder.glob("*.py")):
            names.append(package if path.name == "__init__.py" else f"{package}.{path.stem}")
    return names


def imports_of(name: str) -> set[str]:
    """Every module `name` imports (absolute names); for `from X import y`, both X and X.y."""
    path = module_file(name)
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's own package
                parts = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def internal_edges(name: str) -> set[str]:
    """The project modules that importing `name` runs, parent packages included."""
    targets = set()
    for imported in imports_of(name):
        if imported.split(".")[0] not in PROJECT_PACKAGES:
            continue
        parts = imported.split(".")
        for i in range(1, len(parts) + 1):
            if module_file(".".join(parts[:i])):
                targets.add(".".join(parts[:i]))
    targets.discard(name)
    return targets


def forbidden_in(imported: str) -> str | None:
    return next((f for f in FORBIDDEN if imported == f or imported.startswith(f + ".")), None)


def violations(start: str) -> list[str]:
    """'a -> b -> framework' for each forbidden import reachable from `start`."""
    found, seen, stack = [], {start}, [(start, [start])]
    while stack:
        name, chain = stack.pop()
        for imported in sorted(imports_of(name)):
            framework = forbidden_in(imported)
            if framework:
                found.append(" -> ".join(chain + [imported]))
        for target in sorted(internal_edges(name)):
            if (name, target) in KNOWN_IMPURE_EDGES or target in seen:
                continue
            seen.add(target)
            stack.append((target, chain + [target]))
    return found


@pytest.mark.parametrize("module", pure_modules())
def test_pure_module_imports_no_io_framework(module):
    assert module_file(module), f"{module} is listed as pure but does not exist"
    assert not violations(module), "the pure domain reaches an I/O framework:\n" + "\n".join(violations(module))


def test_known_impure_edges_still_exist():
    for source, target in KNOWN_IMPURE_EDGES:
        assert target in internal_edges(source), f"{source} no longer imports {target}: drop it from the list"


def test_the_check_sees_direct_transitive_and_local_imports():
    # delivery.py imports aiohttp at the top and aiokafka inside functions; app.py reaches both through it
    assert any(v.endswith("-> aiohttp") for v in violations("services.alerter.delivery"))
    assert any(v.endswith("aiokafka") for v in violations("services.alerter.delivery"))
    assert any("services.alerter.delivery -> aiohttp" in v for v in violations("services.alerter.app"))
    # followed without the exception, the parse reaches faust
    assert "services.extractor.settings" in internal_edges("services.extractor.extraction.parse")
    assert any(v.endswith("-> faust") for v in violations("services.extractor.settings"))
