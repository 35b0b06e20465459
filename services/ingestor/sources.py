"""Read articles from files, folders, JSONL and stdin. Every input yields an Article or a Rejection with a reason."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from pydantic import ValidationError

from schemas.models import MAX_ARTICLE_CHARS, Article, http_url, timestamp_input
from services.ingestor.language import check_english

SUPPORTED = (".txt", ".json", ".jsonl")


INVALID = "invalid"
NOT_ENGLISH = "not_english"


@dataclass(frozen=True)
class Rejection:
    origin: str
    reason: str
    kind: str = INVALID  # the `reason` label of the ingestor's rejected counter


def _english_or_rejection(article: Article, origin: str) -> Article | Rejection:
    verdict = check_english(article.text, article.language)
    return article if verdict.english else Rejection(origin, verdict.reason, NOT_ENGLISH)


def _decode(data: bytes, origin: str) -> str | Rejection:
    if b"\x00" in data[:4096]:
        return Rejection(origin, "binary data: the input holds NUL bytes, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Rejection(origin, f"not UTF-8 text: {exc.reason} at byte offset {exc.start}")


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def error_text(error: dict) -> str:
    """One pydantic error as plain words, without pydantic's phrasing ("Value error, ", "Input should be")."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "missing, and it is required"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "string_type":
        return f"must be a string, not {_json_kind(error.get('input'))}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"too long: at most {ctx.get('max_length')} characters"
    if kind.startswith("datetime") or kind.startswith("date"):
        return "must be an ISO 8601 date or date-time string"
    message = str(error.get("msg", "invalid value"))
    for prefix, plain in (("Value error, ", ""), ("Input should be", "must be")):
        if message.startswith(prefix):
            message = plain + message[len(prefix):]
    return message.strip()


def validation_reason(exc: ValidationError, what: str = "article") -> str:
    """'invalid article: text: article text is empty'; every problem, each naming its field."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "record"
        parts.append(f"{where}: {error_text(error)}")
    return f"invalid {what}: " + "; ".join(parts)


def article_from_mapping(record: object, origin: str, published: datetime | None = None) -> Article | Rejection:
    if not isinstance(record, dict):
        return Rejection(origin, f"expected a JSON object with an article, got {_json_kind(record)}")
    if published is not None and not record.get("published_at"):
        record = {**record, "published_at": published}
    try:
        article = Article.model_validate(record)
    except ValidationError as exc:
        return Rejection(origin, validation_reason(exc))
    return _english_or_rejection(article, origin)


def article_from_text(text: str, article_id: str, origin: str, published: datetime | None = None,
                      **metadata: object) -> Article | Rejection:
    if len(text) > MAX_ARTICLE_CHARS:
        return Rejection(origin, f"article text too long: {len(text)} characters (limit {MAX_ARTICLE_CHARS})")
    try:
        article = Article(id=article_id, text=text, published_at=published, **metadata)
    except ValidationError as exc:
        return Rejection(origin, validation_reason(exc))
    return _english_or_rejection(article, origin)


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
                yield Rejection(f"{origin}:{number}", f"malformed JSON: {exc.msg} at line {number} column {exc.colno}")
                continue
            yield article_from_mapping(record, f"{origin}:{number}", published)
    elif suffix == ".json":
        if not text.strip():
            yield Rejection(origin, "empty input: no JSON, so no article")
            return
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
    index: int = 0  # position in the manifest's "articles" list
    file: str = ""  # as the manifest writes it


class ManifestError(Exception):
    """A manifest that cannot be replayed as a whole. `problems` has one line per problem, each naming the
    manifest entry (index and file) and what is wrong with it."""

    def __init__(self, problems: list[str], not_english: int = 0):
        self.problems = list(problems)
        self.not_english = not_english  # how many of the problems are articles not in English
        super().__init__("; ".join(self.problems))


TIME_KEYS = ("published_at", "published", "published_inferred")
METADATA_KEYS = ("url", "outlet", "title")
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


def _shown(name: str) -> str:
    # a name with a line break or a control character must not break the one-line message
    return name if name.isprintable() else repr(name)


def manifest_file(path: Path) -> Path:
    """The manifest itself: PATH, or PATH/manifest.json for a folder."""
    if path.is_dir():
        inner = path / "manifest.json"
        if not inner.exists():
            raise ManifestError([f"{path}: a folder without a manifest.json (`claimwatch ingest` takes plain "
                                 f"folders)"])
        path = inner
    if not path.exists():
        raise ManifestError([f"{path}: no such file or folder"])
    if not path.is_file():
        raise ManifestError([f"{path}: a folder, not a manifest file"])
    return path


def _manifest_items(manifest_path: Path) -> list:
    try:
        data = manifest_path.read_bytes()
    except OSError as exc:
        raise ManifestError([f"{manifest_path}: cannot be read: {exc.strerror}"]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError([f"{manifest_path}: not UTF-8 text: {exc.reason} at byte offset {exc.start}"]) from None
    if not text.strip():
        raise ManifestError([f'{manifest_path}: the file is empty; a manifest is a JSON object with an "articles" '
                             f'list'])
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError([f"{manifest_path}: malformed JSON: {exc.msg} at line {exc.lineno} column "
                             f"{exc.colno}"]) from None
    if not isinstance(document, dict):
        raise ManifestError([f'{manifest_path}: a manifest is a JSON object with an "articles" list, not '
                             f'{_json_kind(document)}'])
    if "articles" not in document:
        raise ManifestError([f'{manifest_path}: no "articles" list; a manifest is a JSON object '
                             f'{{"articles": [{{"file": ...}}, ...]}}'])
    items = document["articles"]
    if not isinstance(items, list):
        raise ManifestError([f'{manifest_path}: "articles" must be a list, not {_json_kind(items)}'])
    if not items:
        raise ManifestError([f'{manifest_path}: the "articles" list is empty, so there is nothing to replay'])
    return items


def _entry(manifest_path: Path, index: int, item: object, problems: list[str]) -> ManifestEntry | None:
    """The entry, or None without a usable "file"; its problems go to `problems` (an entry with a file is
    returned even so, so that its file is checked too and every problem is listed at once)."""
    label = f"{manifest_path}: articles[{index}]"
    if not isinstance(item, dict):
        problems.append(f'{label}: an entry must be an object with a "file", not {_json_kind(item)}')
        return None
    name = item.get("file")
    has_file = isinstance(name, str) and bool(name.strip())
    if has_file:
        label = f"{label} ({_shown(name)})"
    else:
        problems.append(f'{label}: no "file" (the article file, relative to the manifest)' if name is None
                        else f'{label}: "file" must be a path string, not {_json_kind(name)}')
    stamp = None
    key = next((k for k in TIME_KEYS if item.get(k) not in (None, "")), None)
    if key:
        try:
            stamp = timestamp_input(item[key])
        except ValueError as exc:
            problems.append(f"{label}: {key}: {exc}")
        if stamp is not None and not isinstance(stamp, datetime):
            problems.append(f"{label}: {key}: must be an ISO 8601 date or date-time string, not "
                            f"{_json_kind(stamp)}")
            stamp = None
    metadata = {}
    for field in METADATA_KEYS:
        value = item.get(field)
        if value is not None and not isinstance(value, str):
            problems.append(f"{label}: {field}: must be a string, not {_json_kind(value)}")
        elif value and value.strip():
            metadata[field] = value
    try:
        http_url(metadata.get("url"))
    except ValueError as exc:
        problems.append(f"{label}: url: {exc}")
        metadata.pop("url")
    return ManifestEntry(manifest_path.parent / name, stamp, metadata, index, name) if has_file else None


def _in_order(entries: list[ManifestEntry]) -> list[ManifestEntry]:
    # undated entries go last; equal times keep the manifest's order
    return sorted(entries, key=lambda e: (e.published_at is None, e.published_at or _EARLIEST, e.index))


def _entries(manifest_path: Path) -> tuple[list[ManifestEntry], list[str]]:
    problems: list[str] = []
    entries = [_entry(manifest_path, index, item, problems)
               for index, item in enumerate(_manifest_items(manifest_path))]
    return [e for e in entries if e is not None], problems


def read_manifest(manifest_path: Path) -> list[ManifestEntry]:
    """Entries of a manifest.json, in published_at order (paths relative to the manifest).

    Raises ManifestError listing every malformed entry."""
    entries, problems = _entries(manifest_file(manifest_path))
    if problems:
        raise ManifestError(problems)
    return _in_order(entries)


def _entry_articles(entry: ManifestEntry, manifest_path: Path, problems: list[str],
                    not_english: list[str] | None = None) -> list[Article]:
    label = f"{manifest_path}: articles[{entry.index}] ({_shown(entry.file)})"
    if not entry.path.exists():
        problems.append(f"{label}: the file does not exist ({entry.path})")
        return []
    if not entry.path.is_file():
        problems.append(f"{label}: a folder, not an article file ({entry.path})")
        return []
    try:
        data = entry.path.read_bytes()
    except OSError as exc:
        problems.append(f"{label}: cannot be read: {exc.strerror}")
        return []
    articles = []
    for item in parse_bytes(data, entry.path.name, str(entry.path), entry.published_at):
        if isinstance(item, Rejection):
            where = item.origin[len(str(entry.path)):]  # ':3' for a JSON line, '[2]' in a JSON list
            problems.append(f"{label}{where}: {item.reason}")
            if item.kind == NOT_ENGLISH and not_english is not None:
                not_english.append(problems[-1])
            continue
        missing = {k: v for k, v in entry.metadata.items() if not getattr(item, k)}
        if missing:
            try:  # validated again: the manifest's values obey the same contract as the file's
                item = Article.model_validate({**item.model_dump(), **missing})
            except ValidationError as exc:
                problems.append(f"{label}: {validation_reason(exc)}")
                continue
        articles.append(item)
    return articles


def _problem_order(problem: str) -> int:
    # the problems of entry 3 before those of entry 10, whichever check found them
    marker = problem.find(": articles[")
    if marker < 0:
        return -1
    digits = problem[marker + len(": articles["):].split("]", 1)[0]
    return int(digits) if digits.isdigit() else -1


def load_manifest(path: Path) -> list[tuple[ManifestEntry, Article]]:
    """Every article a manifest lists, in published_at order, each with its entry.

    The whole manifest is checked first, entries and files: a ManifestError lists every problem, so a
    manifest is replayed completely or not at all."""
    manifest_path = manifest_file(path)
    entries, problems = _entries(manifest_path)
    not_english: list[str] = []
    articles = {entry.index: _entry_articles(entry, manifest_path, problems, not_english) for entry in entries}
    if problems:
        raise ManifestError(sorted(problems, key=_problem_order), len(not_english))
    return [(entry, article) for entry in _in_order(entries) for article in articles[entry.index]]


def manifest_articles(manifest_path: Path) -> list[tuple[ManifestEntry, Article]]:
    return load_manifest(manifest_path)
