"""The CLI contract other tools rely on: extract and dry-run output."""
import json

from claimwatch.cli import main
from tests.conftest import SEEDS

CLAIM_FIELDS = {"article_id", "figure_text", "char_start", "char_end", "sentence", "value", "lower", "upper",
                "qualifier", "entity", "actor", "measure", "location", "as_of", "source", "modality",
                "quantity_key"}


def test_extract_prints_one_claim_a_line(capsys):
    path = SEEDS / "000_2e750268ccd8f979.txt"
    assert main(["extract", "--published", "2024-11-02", str(path)]) == 0
    claims = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert claims and all(CLAIM_FIELDS <= set(c) for c in claims)
    text = path.read_text()
    assert all(c["article_id"] == "000_2e750268ccd8f979" for c in claims)
    assert all(text[c["char_start"]:c["char_end"]] == c["figure_text"] for c in claims)
    assert any(c["figure_text"] == "approximately 8,000" and c["as_of"] == "2024-10-31" for c in claims)


def test_extract_json_input_uses_its_id(tmp_path, capsys):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"id": "article-7", "text": "Officials said 40 people died.",
                                "published_at": "2024-01-02T00:00:00Z"}))
    main(["extract", str(path)])
    [claim] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert claim["article_id"] == "article-7"


def test_dry_run_prints_alerts(capsys):
    assert main(["dry-run", "--manifest", str(SEEDS / "manifest.json")]) == 0
    alerts = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"alert_id", "kind", "claim", "related", "summary"} <= set(alerts[0])
    assert {a["kind"] for a in alerts} >= {"new", "update", "denial"}
