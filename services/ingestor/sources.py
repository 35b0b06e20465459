"""Read articles from files, folders, JSONL and stdin. Every input yields an Article or a Rejection with a reason."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

from pydantic import ValidationError

from schemas.models import MAX_ARTICLE_CHARS, Article

SUPPORTED = (".txt", ".json", ".jsonl")


@dataclass(frozen=True)
class Rejection:
    origin: str
    reason: str


def _decode(data: bytes, origin: str) -> str | Rejection:
    if b"\x00" in data[:4096]:
        return Rejection(origin, "binary data: the input holds NUL bytes, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Rejection(origin, f"not UTF-8 text ({exc.reason} at byte {exc.start})")


def _validation_reason(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "record"
    return f"invalid article: {where}: {first['msg']}"


def article_from_mapping(record: object, origin: str, published: datetime | None = None) -> Article | Rejection:
    if not isinstance(record, dict):
        return Rejection(origin, f"expected a JSON object with an article, got {type(record).__name__}")
    if published is not None and not record.get("published_at"):
        record = {**record, "published_at": published}
    try:
        return Article.model_validate(record)
    except ValidationError as exc:
        return Rejection(origin, _validation_reason(exc))


def article_from_text(text: str, article_id: str, origin: str, published: datetime | None = None,
                      **metadata: object) -> Article | Rejection:
    if len(text) > MAX_ARTICLE_CHARS:
        return Rejection(origin, f"article text too long: {len(text)} characters (limit {MAX_ARTICLE_CHARS})")
    try:
        return Article(id=article_id, text=text, published_at=published, **metadata)
    except ValidationError as exc:
        return Rejection(origin, _validation_reason(exc))


def parse_bytes(data: bytes, name: str, origin: str, published: datetime | None = None) -> Iterator[Article | Rejection]:
    """Articles in one input: .json (one Article), .jsonl (one per line), anything else is plain text."""
    text = _decode(data, origin)
    if isinstance(text, Rejection):
        yield text
        return
    suffix = Path(name).suffix.lower()
    if suffix == ".jsonl":
        if not text.strip():
            yield Rejection(origin, "empty input: no JSON lines, so no article")
            return
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Rejection(f"{origin}:{number}", f"malformed JSON: {exc.msg} at column {exc.colno}")
                continue
            yield article_from_mapping(record, f"{origin}:{number}", published)
    elif suffix == ".json":
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Rejection(origin, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
            return
        records = record if isinstance(record, list) else [record]
        if not records:
            yield Rejection(origin, "an empty JSON list holds no article")
        for index, item in enumerate(records):
            yield article_from_mapping(item, origin if len(records) == 1 else f"{origin}[{index}]", published)
    else:
        yield article_from_text(text, Path(name).stem, origin, published)


def read_paths(paths: Iterable[str], stdin: bytes | None = None,
               published: datetime | None = None) -> Iterator[Article | Rejection]:
    """Files, folders (recursively, in name order) and '-' for stdin (JSON lines if every line is JSON)."""
    for raw in paths:
        if raw == "-":
            data = stdin or b""
            stripped = data.lstrip()
            name = "stdin.jsonl" if stripped.startswith(b"{") else "stdin.txt"
            yield from parse_bytes(data, name, "stdin", published)
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED):
                if child.name == "manifest.json":
                    continue
                yield from parse_bytes(child.read_bytes(), child.name, str(child), published)
        elif path.is_file():
            yield from parse_bytes(path.read_bytes(), path.name, str(path), published)
        else:
            yield Rejection(str(path), "no such file or folder")


@dataclass(frozen=True)
class ManifestEntry:
    path: Path
    published_at: datetime | None
    metadata: dict


def read_manifest(manifest_path: Path) -> list[ManifestEntry]:
    """Entries of a manifest.json, in published_at order (paths relative to the manifest)."""
    document = json.loads(manifest_path.read_text(encoding="utf-8"))
    entries = []
    for item in document.get("articles", []):
        published = item.get("published_at") or item.get("published") or item.get("published_inferred")
        stamp = datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None
        metadata = {k: item.get(k) for k in ("url", "outlet", "title") if item.get(k)}
        entries.append(ManifestEntry(manifest_path.parent / item["file"], stamp, metadata))
    return sorted(entries, key=lambda e: (e.published_at is None, e.published_at or datetime.min))


def manifest_articles(manifest_path: Path) -> Iterator[tuple[ManifestEntry, Article | Rejection]]:
    for entry in read_manifest(manifest_path):
        if not entry.path.is_file():
            yield entry, Rejection(str(entry.path), "listed in the manifest but missing")
            continue
        for item in parse_bytes(entry.path.read_bytes(), entry.path.name, str(entry.path), entry.published_at):
            if isinstance(item, Article) and entry.metadata:
                item = item.model_copy(update={k: v for k, v in entry.metadata.items() if not getattr(item, k)})
            yield entry, item
