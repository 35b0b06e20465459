"""The console's timeline layout (ui/timeline.js), run under node: a burst of same-day figures gets one column
each, long gaps take no room, and labels never overlap one another or a mark."""
import json
import shutil
import subprocess

import pytest

from services.alerter import web

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
LAYOUT = web.UI_DIR / "timeline.js"


def _run(expression: str):
    script = f"const t = require({json.dumps(str(LAYOUT))});\nconsole.log(JSON.stringify({expression}));"
    return json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30,
                                     check=True).stdout)


BURST = [{"as_of": "2025-03-01"}] + [{"as_of": "2025-03-03"}] * 6 + [{"as_of": "2025-04-10"}]
SEGMENTS = [{"start": "2025-03-01", "end": "2025-03-03", "weight": 0.8},
            {"start": "2025-04-10", "end": "2025-04-10", "weight": 0.2}]


def test_every_figure_of_a_burst_gets_its_own_column():
    placed = _run(f"(() => {{ const p = t.layoutTime({json.dumps(BURST)}, {json.dumps(SEGMENTS)}, 50, 900);"
                  " return {xs: [...p.columns.values()], days: p.days, breaks: p.breaks}; })()")
    xs = sorted(placed["xs"])
    assert len(xs) == 8 and min(b - a for a, b in zip(xs, xs[1:])) > 20
    assert [d["day"] for d in placed["days"]] == ["2025-03-01", "2025-03-03", "2025-04-10"]
    assert placed["breaks"] == [{"x": pytest.approx(50 + (900 - 28) * 0.8 + 14), "days": 38}]


def _boxes_overlap(a, b):
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and \
        b["y"] < a["y"] + a["h"]


@pytest.mark.parametrize("count", [2, 8, 20])
def test_labels_of_a_pile_of_figures_never_overlap(count):
    # figures on nearly one spot, as a burst of similar values draws them
    anchors = [{"x": 300 + (i % 3) * 4, "y": 150 + (i % 5) * 3, "w": 90, "h": 13} for i in range(count)]
    marks = [{"x": a["x"] - 7, "y": a["y"] - 7, "w": 14, "h": 14} for a in anchors]
    bounds = {"x0": 60, "y0": 20, "x1": 900, "y1": 320}
    spots = _run(f"t.placeLabels({json.dumps(anchors)}, {json.dumps(bounds)}, {json.dumps(marks)})")
    boxes = [s["box"] for s in spots]
    assert all(boxes)
    assert count <= 2 or any(s["moved"] for s in spots)  # displaced ones get a leader line
    for i, a in enumerate(boxes):
        assert bounds["x0"] <= a["x"] and a["x"] + a["w"] <= bounds["x1"]
        assert bounds["y0"] <= a["y"] and a["y"] + a["h"] <= bounds["y1"]
        assert not any(_boxes_overlap(a, m) for m in marks)
        assert not any(_boxes_overlap(a, b) for b in boxes[i + 1:])


def test_a_label_with_no_room_is_left_for_focus():
    spots = _run('t.placeLabels([{x: 10, y: 10, w: 500, h: 13}], {x0: 0, y0: 0, x1: 100, y1: 30}, [])')
    assert spots == [{"box": None, "moved": False}]


def test_values_on_a_log_scale_and_gap_wording():
    assert _run('[t.valueY({kind: "log", min: 1, max: 10000}, 100, 0, 400), '
                't.valueY({kind: "linear", min: 0, max: 20000}, 5000, 0, 400)]') == [200, 300]
    assert _run("[t.gapText(9), t.gapText(38), t.gapText(480)]") == ["+9 d", "+5 wk", "+16 mo"]
