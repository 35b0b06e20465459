"""The code map in docs/architecture.md names only paths that exist, and every page the README links to exists."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _table_paths(text: str) -> list[str]:
    """The first cell of every table row, when it is a backticked path."""
    return re.findall(r"^\| `([^`]+)` \|", text, flags=re.M)


def test_every_path_in_the_code_map_exists():
    paths = _table_paths((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    assert len(paths) > 40  # the map is there, not an empty page
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert missing == [], f"docs/architecture.md names paths that do not exist: {missing}"


def test_every_module_of_the_services_is_on_the_map():
    listed = set(_table_paths((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")))
    modules = [str(path.relative_to(ROOT)) for path in (ROOT / "services").rglob("*.py")
               if path.name not in ("__init__.py", "settings.py", "metrics.py")]
    unlisted = sorted(m for m in modules if m not in listed and not any(m.startswith(p + "/") for p in listed))
    assert unlisted == [], f"modules missing from docs/architecture.md: {unlisted}"


def test_the_readme_and_docs_link_only_to_files_that_exist():
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target and not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []
