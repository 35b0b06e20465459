"""Reading inputs: every file, line and stdin either yields an Article or a Rejection with a reason."""
import json

from schemas.models import Article
from services.ingestor.replay import replay_delays
from services.ingestor.sources import Rejection, parse_bytes, read_manifest, read_paths
from tests.conftest import SEEDS


def test_txt_file_id_is_the_file_stem(tmp_path):
    path = tmp_path / "report_1.txt"
    path.write_text("Four people died.")
    [article] = read_paths([str(path)])
    assert article.id == "report_1" and article.text == "Four people died."


def test_json_and_jsonl_files(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"id": "a", "text": "Four people died."}))
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "b1", "text": "x y"}) + "\n\n"
                                      + json.dumps({"id": "b2", "text": "z"}) + "\n")
    items = list(read_paths([str(tmp_path)]))
    assert [i.id for i in items] == ["a", "b1", "b2"]


def test_stdin_plain_text_and_json_lines():
    [text] = read_paths(["-"], b"Four people died.")
    assert text.id == "stdin"
    lines = list(read_paths(["-"], json.dumps({"id": "s1", "text": "t"}).encode() + b"\n"))
    assert [a.id for a in lines] == ["s1"]


def test_bad_inputs_are_rejected_with_reasons():
    cases = {
        "bad.json": b"{not json",
        "empty.txt": b"   ",
        "binary.txt": b"\x00\x01\x02garbage",
        "latin1.txt": "caf\xe9".encode("latin-1"),
        "missing.json": json.dumps({"id": "x"}).encode(),
        "list.jsonl": b"[1, 2]\n",
    }
    for name, data in cases.items():
        [item] = parse_bytes(data, name, name)
        assert isinstance(item, Rejection), name
        assert item.reason
    assert "NUL" in next(parse_bytes(cases["binary.txt"], "binary.txt", "b")).reason
    assert "text" in next(parse_bytes(cases["missing.json"], "missing.json", "m")).reason


def test_missing_path_is_a_rejection():
    [item] = read_paths(["/nonexistent/claimwatch"])
    assert isinstance(item, Rejection) and "no such" in item.reason


def test_html_and_non_english_text_are_articles():
    [html] = parse_bytes(b"<html><body><p>Four people died.</p></body></html>", "page.txt", "p")
    [russian] = parse_bytes("Погибли четыре человека.".encode(), "ru.txt", "r")
    assert isinstance(html, Article) and isinstance(russian, Article)


def test_manifest_is_read_in_publication_order():
    entries = read_manifest(SEEDS / "manifest.json")
    stamps = [e.published_at for e in entries]
    assert stamps == sorted(stamps)
    assert entries[0].path.name == "003_a7d2e6efdfb26492.txt"


def test_replay_delays():
    entries = read_manifest(SEEDS / "manifest.json")
    assert replay_delays(entries, None, 4.0, 10) == [0.0, 0.25, 0.25, 0.25, 0.25]
    assert replay_delays(entries, None, None, 10) == [0.0] * 5
    by_speed = replay_delays(entries, 86400.0, None, 100.0)
    assert by_speed[0] == 0 and by_speed[1] == (entries[1].published_at - entries[0].published_at).days
    assert max(replay_delays(entries, 86400.0, None, 3.0)) == 3.0
