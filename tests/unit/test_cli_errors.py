"""What a user sees when input or settings are wrong: one plain line each, no traceback, and an exit status
that says whether anything could be read. Also: only http(s) article URLs get in, by any path."""
import base64
import json
import os
import re
import subprocess
import sys

import pytest
from pydantic import ValidationError

from schemas.models import Article, Claim
from claimwatch.cli import main
from services.ingestor.sources import Rejection, article_from_mapping, parse_bytes
from tests.conftest import ROOT

PYDANTIC_WORDING = ("Value error", "validation error for", "Input should be", "type=", "pydantic")
DOUBLED_WORD = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # settings read .env from the working directory


def _err_lines(capsys):
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.out, captured.err.strip().splitlines()


def test_extract_exits_1_when_every_input_is_rejected(tmp_path, capsys):
    (tmp_path / "cut.json").write_text('{"id": "x", "text": "Two bridges', encoding="utf-8")
    (tmp_path / "blank.txt").write_text("  \n", encoding="utf-8")
    assert main(["extract", str(tmp_path / "cut.json"), str(tmp_path / "blank.txt"),
                 str(tmp_path / "absent.txt")]) == 1
    out, lines = _err_lines(capsys)
    assert out == ""
    assert [line.split(":", 1)[0] for line in lines[:3]] == [
        f"rejected {tmp_path / 'cut.json'}", f"rejected {tmp_path / 'blank.txt'}", f"rejected {tmp_path / 'absent.txt'}"]
    assert lines[3] == "error: no article could be read (3 input(s) rejected)"


def test_extract_exits_0_when_some_input_was_read(tmp_path, capsys):
    (tmp_path / "good.txt").write_text("Officials said 14 schools were closed by the floods.", encoding="utf-8")
    (tmp_path / "blank.txt").write_text(" ", encoding="utf-8")
    assert main(["extract", "--published", "2024-04-08", str(tmp_path / "good.txt"),
                 str(tmp_path / "blank.txt")]) == 0
    out, lines = _err_lines(capsys)
    assert [json.loads(line)["figure_text"] for line in out.splitlines()] == ["14"]
    assert lines == [f"rejected {tmp_path / 'blank.txt'}: invalid article: text: article text is empty"]


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_a_bad_published_value_is_one_line_and_exit_2(command, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9")  # never reached
    (tmp_path / "good.txt").write_text("Officials said 14 schools were closed.", encoding="utf-8")
    assert main([command, "--published", "notadate", str(tmp_path / "good.txt")]) == 2
    out, lines = _err_lines(capsys)
    assert out == ""
    assert lines == ["error: --published: not an ISO 8601 date or date-time "
                     "(e.g. 2024-03-02 or 2024-03-02T18:00:00Z): 'notadate'"]


def test_published_accepts_naive_and_date_only_times_as_utc(tmp_path, capsys):
    (tmp_path / "good.txt").write_text("Officials said 14 schools were closed.", encoding="utf-8")
    for value, expected in (("2024-04-08T18:00", "2024-04-08T18:00:00Z"), ("2024-04-08", "2024-04-08T00:00:00Z")):
        assert main(["extract", "--published", value, str(tmp_path / "good.txt")]) == 0
        [claim] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert claim["published_at"] == expected


# (file name, bytes, the reason exactly); the README promises the wording of the first four
REASONS = [
    ("empty.json", b'{"id": "e", "text": "  "}', "invalid article: text: article text is empty"),
    ("cut.json", b"[x", "malformed JSON: Expecting value at line 1 column 2"),
    ("nul.txt", b"forty\x00 people", "binary data: the input holds NUL bytes, not text"),
    ("latin.txt", "Pr\xe9fecture".encode("latin-1"), "not UTF-8 text: invalid continuation byte at byte offset 2"),
    ("noid.json", b'{"text": "Nine roads closed."}', "invalid article: id: missing, and it is required"),
    ("numid.json", b'{"id": 7, "text": "Nine roads closed."}', "invalid article: id: must be a string, not a number"),
    ("blankid.json", b'{"id": "", "text": "Nine roads closed."}', "invalid article: id: must not be empty"),
    ("when.json", b'{"id": "w", "text": "Nine roads closed.", "published_at": "at at noon"}',
     "invalid article: published_at: not an ISO 8601 date or date-time (e.g. 2024-03-02 or 2024-03-02T18:00:00Z): "
     "'at at noon'"),
    ("epoch.json", b'{"id": "w", "text": "Nine roads closed.", "published_at": 1712563200}',
     "invalid article: published_at: must be an ISO 8601 date or date-time string, not a number"),
    ("two.json", b'{"text": 5}', "invalid article: id: missing, and it is required; text: must be a string, not a number"),
    ("line.jsonl", b'{"id": "a", "text": "ok"}\n{oops\n', "malformed JSON: Expecting property name enclosed in "
                                                          "double quotes at line 2 column 2"),
    ("empty2.json", b"", "empty input: no JSON, so no article"),
    ("scalar.json", b'"just a string"', "expected a JSON object with an article, got a string"),
]


@pytest.mark.parametrize("name,data,reason", REASONS, ids=[r[0] for r in REASONS])
def test_rejections_read_as_plain_sentences(name, data, reason):
    rejections = [r for r in parse_bytes(data, name, name) if isinstance(r, Rejection)]
    assert [r.reason for r in rejections] == [reason]


def test_no_rejection_carries_pydantic_wording_or_a_doubled_word():
    records = [{"id": 1}, {"id": "a" * 400, "text": "t"}, {"id": "a", "text": ["t"]}, {"id": "a", "text": "t",
               "published_at": [2024]}, {"id": "a", "text": "t", "language": 5}, {"id": "a", "text": "t", "url": 5},
               {"id": "a", "text": "t", "published_at": "x" * 500}, {"id": "a", "text": "t", "url": "data:,hi"}]
    reasons = [article_from_mapping(record, "r").reason for record in records]
    assert len(reasons) == len(records) and all(r.startswith("invalid article: ") for r in reasons)
    for reason in reasons:
        assert not any(word in reason for word in PYDANTIC_WORDING), reason
        assert not DOUBLED_WORD.search(reason), reason
        assert len(reason) < 200 and "\n" not in reason


HOSTILE_URLS = ["javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x", "/relative/page", "http://",
                " javascript:alert(1)", "java\tscript:alert(1)", "https://ok.example/\nX-Injected: 1"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_http_urls_reach_an_article_or_a_claim(url):
    rejection = article_from_mapping({"id": "u", "text": "Nine roads closed.", "url": url}, "body[0]")
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("invalid article: url: must be an http:// or https:// address"), rejection
    with pytest.raises(ValidationError, match="http:// or https://"):
        Claim(claim_id="c", article_id="u", article_url=url, figure_text="9", char_start=0, char_end=1,
              sentence="9 roads.", qualifier="exact", measure="closed", quantity_key="roads.closed")


def test_http_urls_are_kept_and_a_blank_url_is_no_url():
    for url in ("http://news.example.org/a?b=1", "https://news.example.org/a#c", "HTTPS://News.Example.org/"):
        assert Article(id="u", text="Nine roads closed.", url=url).url == url
    assert Article(id="u", text="Nine roads closed.", url=" ").url is None


def test_extract_rejects_a_javascript_url_by_name(tmp_path, capsys):
    (tmp_path / "x.json").write_text(json.dumps({"id": "x", "text": "Nine roads closed.",
                                                 "url": "javascript:alert(1)"}), encoding="utf-8")
    assert main(["extract", str(tmp_path / "x.json")]) == 1
    _, lines = _err_lines(capsys)
    assert lines[0] == (f"rejected {tmp_path / 'x.json'}: invalid article: url: must be an http:// or https:// "
                        f"address, not a javascript: address")


def test_a_bad_setting_is_one_line_naming_the_variable(monkeypatch, capsys):
    monkeypatch.setenv("CLAIMWATCH_KAFKA_PARTITIONS", "many")
    assert main(["topics"]) == 2
    _, lines = _err_lines(capsys)
    assert lines == ["error: CLAIMWATCH_KAFKA_PARTITIONS: must be a valid integer, unable to parse string as an "
                     "integer"]


def test_the_alerter_refuses_a_bad_setting_at_start_in_one_line(tmp_path):
    # in a fresh process, as `claimwatch alerter` starts: main() builds the settings, then the app
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMWATCH_")}
    env.update(CLAIMWATCH_ALERTER_WEB_PORT="eighty", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "claimwatch.cli", "alerter"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: CLAIMWATCH_ALERTER_WEB_PORT: must be a valid integer, unable to parse string as an integer"]


def test_the_sink_takes_secrets_from_a_file_not_the_command_line(tmp_path, monkeypatch, capsys):
    import services.sink.app as sink_app

    secret_file = tmp_path / "sink-secrets"
    secret_file.write_text("whsec_" + base64.b64encode(os.urandom(24)).decode() + "\n", encoding="utf-8")
    started = []
    monkeypatch.setattr(sink_app, "serve", started.append)
    assert main(["sink", "--secret-file", str(secret_file), "--port", "8199"]) == 0
    [settings] = started
    assert settings.secrets_file == secret_file and settings.port == 8199
    capsys.readouterr()
    assert main(["sink", "--secret", "whsec_on-the-command-line"]) == 2
    _, lines = _err_lines(capsys)
    assert started == [settings] and len(lines) == 1 and "--secret-file PATH" in lines[0]
    assert "whsec_on-the-command-line" not in lines[0]


class _FakePublisher:
    def __init__(self, *args, **kwargs):
        self.sent = 0

    def publish(self, article, source):
        self.sent += 1
        return article

    def flush(self):
        return self.sent

    def close(self):
        pass


def test_ingest_exits_1_when_nothing_could_be_read(tmp_path, capsys, monkeypatch):
    import services.ingestor.publisher as publisher

    monkeypatch.setattr(publisher, "ArticlePublisher", _FakePublisher)
    (tmp_path / "empty").mkdir()
    assert main(["ingest", str(tmp_path / "empty")]) == 1
    assert _err_lines(capsys)[1] == ["published 0 article(s), rejected 0"]
    (tmp_path / "one.txt").write_text("Officials said 14 schools were closed.", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "one.txt")]) == 0
    assert _err_lines(capsys)[1] == ["published 1 article(s), rejected 0"]
