"""A manifest that cannot be replayed whole is refused up front, one line per problem naming the entry,
with a non-zero exit, by `claimwatch dry-run`, `claimwatch replay` and `claimwatch run` alike."""
import json

import pytest

from schemas.models import Article
from claimwatch import runner
from claimwatch.cli import main
from services.ingestor.replay import replay

GOOD_TEXT = "The ministry said 35 fishing boats were lost in the storm on Friday."


def _write(folder, name, content):
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def _manifest(folder, content):
    (folder / "boats.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "broken.json").write_text('{"id": "b", "text": ', encoding="utf-8")
    return _write(folder, "manifest.json", content)


# case -> (what to write; None for no manifest at all, "dir" for an empty folder), the words the one line holds
CASES = {
    "missing manifest": (None, ["nothing-here.json", "no such file"]),
    "a folder without a manifest": ("dir", ["a folder without a manifest.json"]),
    "empty file": ("", ["manifest.json", "empty"]),
    "a JSON list": ([{"file": "boats.txt"}], ["manifest.json", "JSON object", "not a list"]),
    "no articles key": ({"items": []}, ["manifest.json", 'no "articles" list']),
    "empty articles list": ({"articles": []}, ["manifest.json", '"articles" list is empty']),
    "entry without file": ({"articles": [{"published_at": "2024-05-03"}]}, ["articles[0]", 'no "file"']),
    "a date in words": ({"articles": [{"file": "boats.txt", "published_at": "last tuesday"}]},
                        ["articles[0] (boats.txt)", "published_at", "ISO 8601", "'last tuesday'"]),
    "listed file missing": ({"articles": [{"file": "boats.txt"}, {"file": "gone.txt"}]},
                            ["articles[1] (gone.txt)", "does not exist"]),
    "article file with broken JSON": ({"articles": [{"file": "broken.json"}]},
                                      ["articles[0] (broken.json)", "malformed JSON"]),
}


def _target(tmp_path, content):
    if content is None:
        return tmp_path / "nothing-here.json"
    if content == "dir":
        (tmp_path / "plain").mkdir()
        return tmp_path / "plain"
    return _manifest(tmp_path, content)


class _NoStack:
    """`claimwatch run` must refuse a bad manifest before it starts the broker and the services."""

    def __init__(self, *args, **kwargs):
        raise AssertionError("the stack was started for a manifest that should have been refused")


@pytest.fixture
def no_kafka(monkeypatch, tmp_path):
    # a closed port, so that code which contacts Kafka before checking the manifest fails at once
    monkeypatch.setenv("CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9")
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_SEND_TIMEOUT_S", "1")
    monkeypatch.setattr(runner, "LocalStack", _NoStack)
    monkeypatch.chdir(tmp_path)


def _argv(command, target):
    return {"dry-run": ["dry-run", "--manifest", str(target)], "replay": ["replay", "--no-progress", str(target)],
            "run": ["run", str(target)]}[command]


@pytest.mark.parametrize("command", ["dry-run", "replay", "run"])
@pytest.mark.parametrize("case", list(CASES))
def test_each_manifest_error_is_one_line_and_a_non_zero_exit(case, command, tmp_path, capsys, no_kafka):
    content, words = CASES[case]
    target = _target(tmp_path, content)
    assert main(_argv(command, target)) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: ")
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "Traceback" not in captured.err and captured.out.strip() == ""


def test_every_problem_is_listed_one_line_each(tmp_path, capsys, no_kafka):
    target = _manifest(tmp_path, {"articles": [
        {"file": "boats.txt", "published_at": "2024-05-03T08:00:00Z"},
        {"file": "gone.txt", "published_at": "2024-05-03"},
        {"title": "no file here"},
        {"file": "broken.json", "published": "the day after"},
        {"file": "boats.txt", "url": "javascript:alert(document.cookie)"},
    ]})
    assert main(["dry-run", "--manifest", str(target)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert [line.split(": ", 3)[2] for line in lines] == [
        "articles[1] (gone.txt)", "articles[2]", "articles[3] (broken.json)", "articles[3] (broken.json)",
        "articles[4] (boats.txt)"]
    assert "does not exist" in lines[0] and 'no "file"' in lines[1]
    assert "published: not an ISO 8601" in lines[2] and "malformed JSON" in lines[3]
    assert "url: must be an http:// or https:// address" in lines[4]


class _RecordingPublisher:
    def __init__(self):
        self.published = []

    def publish(self, article: Article, source: str) -> Article:
        self.published.append(article)
        return article

    def flush(self) -> int:
        return len(self.published)


def test_a_bad_entry_stops_the_replay_before_anything_is_published(tmp_path):
    from services.ingestor.sources import ManifestError

    # the good entry is the earliest, so a replay that checked as it went would publish it first
    target = _manifest(tmp_path, {"articles": [
        {"file": "boats.txt", "published_at": "2024-05-01T06:00:00Z"},
        {"file": "gone.txt", "published_at": "2024-05-02T06:00:00Z"},
    ]})
    publisher = _RecordingPublisher()
    with pytest.raises(ManifestError) as refused:
        replay(target, publisher, rate=1000, progress=False, sleep=lambda _: None)
    assert publisher.published == [] and len(refused.value.problems) == 1
    assert "articles[1] (gone.txt)" in refused.value.problems[0]


def test_a_good_manifest_still_loads(tmp_path):
    from services.ingestor.sources import load_manifest

    target = _manifest(tmp_path, {"articles": [{"file": "boats.txt", "published_at": "2024-05-03",
                                                "url": "https://news.example.org/boats"}]})
    [(entry, article)] = load_manifest(target)
    assert article.text == GOOD_TEXT and article.url == "https://news.example.org/boats"
    assert entry.published_at.isoformat() == "2024-05-03T00:00:00+00:00"
