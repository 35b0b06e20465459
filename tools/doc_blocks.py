"""Generated blocks in the docs: the make target that measures a figure writes it between two markers,
`<!-- NAME:begin -->` and `<!-- NAME:end -->`, so no figure is pasted by hand."""
from __future__ import annotations

from pathlib import Path


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:begin -->", f"<!-- {name}:end -->"


def read_block(path: Path, name: str) -> str | None:
    begin, end = markers(name)
    text = path.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        return None
    return text.split(begin, 1)[1].split(end, 1)[0].strip()


def write_block(path: Path, name: str, content: str) -> bool:
    """Replace the block's content; False (and nothing written) when the page has no such block."""
    begin, end = markers(name)
    text = path.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        return False
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{content.strip()}\n{end}{tail}", encoding="utf-8")
    return True
