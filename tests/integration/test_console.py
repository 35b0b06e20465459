"""The analyst console end to end: replay the seeds through the real services, log in with the API token,
then drive /ui/ in headless Chromium (Debian's chromium and chromium-driver, installed by .ci/run).
Screenshots of each view are saved to artifacts/ui/. A claim full of markup and script is shown as text and
runs nothing, under the page's Content-Security-Policy. A story of our own (a burst of same-day figures, a
month's gap, a later pair) checks the timeline's layout; a claim published while the page is open checks
that alerts arrive live."""
from __future__ import annotations

import shutil
import time
from datetime import date, datetime, timezone

import pytest
from kafka import KafkaProducer

from schemas.models import Claim, Modality, Qualifier
from schemas.topics import CLAIMS
from tests.conftest import ROOT, SEEDS
from tests.helpers import make_claim, replay_seeds, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("chromedriver") is None,
                       reason="Chromium is not installed: `apt-get install chromium chromium-driver` "
                              "(Debian's packages; .ci/run installs them)"),
]
SHOTS = ROOT / "artifacts" / "ui"
# markup an article could carry; each records in window.__pwned that it ran
IMG = """<img src=x onerror="window.__pwned=(window.__pwned||[]).concat('img')">"""
SCRIPT = "<script>window.__pwned=(window.__pwned||[]).concat('script')</script>"
HOSTILE_KEY = "console_test.killed.harbour"
HOSTILE_URL = 'https://news.example/harbour?q="><svg/onload=window.__pwned=1>'  # http(s), so the ingest takes it


def _publish(stack, claims: list[Claim]) -> None:
    """Claims written straight to `claims`, as any producer there could."""
    producer = KafkaProducer(bootstrap_servers=stack.broker.bootstrap, batch_size=stack.kafka.producer_max_batch_size)
    for claim in claims:
        producer.send(CLAIMS, key=claim.quantity_key.encode(), value=claim.model_dump_json().encode())
    producer.flush()
    producer.close()


def _publish_hostile_claim(stack) -> None:
    """A claim whose text fields carry markup."""
    claim = make_claim(25, key=HOSTILE_KEY, source=f"Harbour office {IMG}", claim_id="hostile-harbour",
                       sentence=f"The harbour office {IMG} said 25 people were killed {SCRIPT} on Monday.",
                       article="hostile", as_of=date(2024, 10, 20))
    claim = claim.model_copy(update={"figure_text": f"25 {IMG}", "article_url": HOSTILE_URL, "outlet": SCRIPT,
                                     "headline": f"Harbour news {SCRIPT}",
                                     "published_at": datetime(2024, 10, 21, tzinfo=timezone.utc)})
    _publish(stack, [claim])
    wait_until(lambda: stack.api_get(f"/alerts?quantity={HOSTILE_KEY}"), 60, "the hostile claim's alert")


# Our own story for the layout: a river flood in an invented town. On one day six bodies count the flooded
# homes; a month later two more figures come, and a projection.
STORY_KEY = "story.homes_damaged.millbrook"
STORY = [  # (day, source, figure text, value, lower, upper, qualifier, modality, sentence)
    ("2025-03-02", "Millbrook council", "about 40", 40, 35, 45, Qualifier.approximate, Modality.reported,
     "Millbrook council said about 40 homes took in water overnight as the river rose."),
    ("2025-03-04", "the fire brigade", "62", 62, 62, 62, Qualifier.exact, Modality.reported,
     "Crews had pumped out 62 houses by noon, the fire brigade said."),
    ("2025-03-04", "Millbrook council", "more than 70", None, 70, None, Qualifier.more_than, Modality.reported,
     "By the afternoon more than 70 homes were affected, according to Millbrook council."),
    ("2025-03-04", "residents' association", "nearly 120", 120, 108, 120, Qualifier.approximate,
     Modality.reported, "The residents' association put the number of wet homes at nearly 120."),
    ("2025-03-04", "county insurers", "between 80 and 95", None, 80, 95, Qualifier.range, Modality.estimate,
     "County insurers estimated that between 80 and 95 properties would file claims."),
    ("2025-03-04", "the weather office", "75", 75, 75, 75, Qualifier.exact, Modality.reported,
     "The weather office counted 75 flooded homes in its evening bulletin."),
    ("2025-03-04", None, "68", 68, 68, 68, Qualifier.exact, Modality.reported,
     "A local radio tally listed 68 damaged homes on the river road."),
    ("2025-03-04", "county insurers", "as many as 150", None, None, 150, Qualifier.at_most, Modality.projection,
     "If the second dam overflows, as many as 150 homes could be hit, county insurers warned."),
    ("2025-04-08", "Millbrook council", "131", 131, 131, 131, Qualifier.exact, Modality.reported,
     "After a survey of every street, Millbrook council gave a final count of 131 damaged homes."),
    ("2025-04-09", "the fire brigade", "about 125", 125, 115, 135, Qualifier.approximate, Modality.reported,
     "The fire brigade's own review found about 125 homes had needed pumping."),
]


def _story_claims() -> list[Claim]:
    claims = []
    for n, (day, source, text, value, lower, upper, qualifier, modality, sentence) in enumerate(STORY):
        as_of = date.fromisoformat(day)
        claim = make_claim(value, lower, upper, qualifier=qualifier, source=source, as_of=as_of, key=STORY_KEY,
                           modality=modality, claim_id=f"story-{n}", sentence=sentence, article=f"story-{n}")
        claims.append(claim.model_copy(update={
            "figure_text": text, "measure": "homes_damaged", "entity": "homes",
            "headline": "River bursts its banks in Millbrook", "outlet": "Millbrook Courier",
            "article_url": f"https://courier.example/flood/{n}",
            "published_at": datetime(as_of.year, as_of.month, as_of.day, 18, n, tzinfo=timezone.utc)}))
    return claims


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from claimwatch.local_stack import LocalStack

    with LocalStack(tmp_path_factory.mktemp("console") / "stack") as stack:
        replay_seeds(stack, SEEDS)
        _publish_hostile_claim(stack)
        _publish(stack, _story_claims())
        wait_until(lambda: len(stack.api_get(f"/quantities/{STORY_KEY}")["timeline"]) == len(STORY)
                   if stack.api_get(f"/alerts?quantity={STORY_KEY}") else False, 60, "the story's figures")
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP violations are logged here
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1400", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        driver.implicitly_wait(10)
        SHOTS.mkdir(parents=True, exist_ok=True)
        try:
            driver.get(f"{stack.services['alerter'].base_url}/ui/")
            driver.stack = stack
            yield driver
        finally:
            driver.quit()


def _wait_for(predicate, timeout_s: float = 15.0):
    return wait_until(predicate, timeout_s, poll_s=0.2)


def test_the_console_asks_for_the_token_and_logs_in_with_a_cookie_script_cannot_read(console):
    from selenium.webdriver.common.by import By

    assert not console.find_elements(By.ID, "feed")  # the login form, not the console
    console.save_screenshot(str(SHOTS / "login.png"))
    field = console.find_element(By.CSS_SELECTOR, "input[name='token']")
    field.send_keys("not-the-token")
    field.submit()
    assert console.find_element(By.CSS_SELECTOR, "input[name='token']") and not console.find_elements(By.ID, "feed")
    field = console.find_element(By.CSS_SELECTOR, "input[name='token']")
    field.send_keys(console.stack.api_token)
    field.submit()
    assert console.find_element(By.ID, "feed")
    assert console.current_url.endswith("/ui/")
    assert console.execute_script("return document.cookie") == ""  # HttpOnly


def test_the_feed_shows_russias_denial(console):
    from selenium.webdriver.common.by import By

    denials = _wait_for(lambda: console.find_elements(By.CSS_SELECTOR, "#feed li[data-kind='denial']"))
    assert denials, console.find_element(By.ID, "feed").text
    assert "Russia" in denials[0].text
    console.save_screenshot(str(SHOTS / "feed.png"))


def test_filters_narrow_the_feed(console):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _wait_for(lambda: console.find_elements(By.CSS_SELECTOR, "#feed li[data-kind]"))
    everything = len(console.find_elements(By.CSS_SELECTOR, "#feed li[data-kind]"))

    def kinds():  # read in one step: the feed is redrawn when the server's answer comes
        return set(console.execute_script(
            "return [...document.querySelectorAll('#feed li[data-kind]')].map((n) => n.dataset.kind)"))
    Select(console.find_element(By.ID, "filter-kind")).select_by_value("denial")
    filtered = _wait_for(lambda: kinds() == {"denial"}) and kinds()
    Select(console.find_element(By.ID, "filter-kind")).select_by_value("")
    assert filtered == {"denial"} and everything > 1
    assert _wait_for(lambda: len(kinds()) > 1)  # "all" again


def test_the_troop_timeline_shows_each_sources_figure_with_its_date(console):
    from selenium.webdriver.common.by import By

    rows = _wait_for(lambda: [row for row in console.find_elements(By.CSS_SELECTOR, "#quantities tr[data-quantity]")
                              if "north_korea" in row.get_attribute("data-quantity")
                              and "troops" in row.get_attribute("data-quantity")])
    assert rows, console.find_element(By.ID, "quantities").text
    rows[0].find_element(By.TAG_NAME, "button").click()
    figures = _wait_for(lambda: console.find_elements(By.CSS_SELECTOR, "#figures button"))
    listed = [button.text for button in figures]
    for figure, source, day in (("3,000", "U.S.", "2024-10-24"),
                                ("approximately 8,000", "Biden administration", "2024-10-31"),
                                ("over 7,000", "GUR", "2024-11-02"),
                                ("around 10,000", "Zelenskyy", "2026-02-18")):
        assert any(text.startswith(figure) and source in text and day in text for text in listed), (figure, listed)
    drawn = {group.get_attribute("data-figure") for group in console.find_elements(By.CSS_SELECTOR, "#chart g.figure")}
    assert {"3,000", "approximately 8,000", "over 7,000", "around 10,000"} <= drawn
    console.save_screenshot(str(SHOTS / "timeline.png"))


def test_clicking_a_figure_shows_its_evidence_sentence(console):
    from selenium.webdriver.common.by import By

    groups = [g for g in console.find_elements(By.CSS_SELECTOR, "#chart g.figure")
              if g.get_attribute("data-figure") == "approximately 8,000"]
    assert groups
    groups[0].find_element(By.CSS_SELECTOR, "circle, rect").click()  # the drawn interval, not its label
    evidence = console.find_element(By.ID, "evidence")
    assert _wait_for(evidence.is_displayed)
    assert "approximately 8,000" in evidence.find_element(By.TAG_NAME, "mark").text
    assert "Biden administration" in evidence.text and "2024-10-31" in evidence.text
    console.save_screenshot(str(SHOTS / "evidence.png"))


def _open(console, key: str) -> None:
    # the title is cleared first, so the wait below is for this opening, not one already on the page
    console.execute_script("document.getElementById('timeline-title').textContent = ''; openQuantity(arguments[0])", key)
    from selenium.webdriver.common.by import By
    assert _wait_for(lambda: key in console.find_element(By.ID, "timeline-title").text)


def _chart_boxes(console) -> dict:
    """Every drawn figure and every text of the chart, with its box on the screen."""
    return console.execute_script("""
        const box = (n) => { const r = n.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; };
        return {
          figures: [...document.querySelectorAll('#chart g.figure')].map((g) => ({
            figure: g.dataset.figure, mark: box(g.querySelector('circle, rect')),
            label: g.querySelector('text.label') ? box(g.querySelector('text.label')) : null})),
          texts: [...document.querySelectorAll('#chart text')].map((t) => ({text: t.textContent, ...box(t)})),
        };""")


def _overlap(a, b) -> bool:
    return a["x"] < b["x"] + b["w"] - 0.5 and b["x"] < a["x"] + a["w"] - 0.5 and \
        a["y"] < b["y"] + b["h"] - 0.5 and b["y"] < a["y"] + a["h"] - 0.5


def _assert_readable(boxes, figures: int) -> None:
    assert len(boxes["figures"]) == figures, [f["figure"] for f in boxes["figures"]]
    missing = [f["figure"] for f in boxes["figures"] if f["label"] is None]
    assert not missing, f"figures without a label: {missing}"
    texts = boxes["texts"]
    clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:] if _overlap(a, b)]
    assert not clashes, clashes
    marks = [f["mark"] for f in boxes["figures"]]
    on_marks = [t["text"] for t in texts for m in marks if _overlap(t, m) and m["h"] < 20]  # points, not bands
    assert not on_marks, on_marks


def test_every_troop_figure_is_drawn_and_no_two_labels_collide(console):
    key = next(q["quantity_key"] for q in console.stack.api_get("/quantities")
               if q["quantity_key"].startswith("north_korea.troops"))
    _open(console, key)
    data = console.stack.api_get(f"/quantities/{key}")
    drawn = [f for f in data["timeline"] if f["modality"] != "denial"]
    _assert_readable(_chart_boxes(console), len(drawn))
    # the denial of 2024 no longer decides the status: later figures stand
    assert data["status"] == "updated" and data["status_since"] >= "2026-01-01"
    assert "updated since" in console.find_element("id", "timeline-title").text
    ticks = [float(t) for t in data["axis"]["lanes"][0]["value"]["ticks"]]
    assert all(f"{t:e}"[0] in "125" or t == 0 for t in ticks), ticks
    console.find_element("id", "timeline-section").screenshot(str(SHOTS / "troop-timeline.png"))


def test_a_burst_and_a_months_gap_stay_readable(console):
    _open(console, STORY_KEY)
    _assert_readable(_chart_boxes(console), len(STORY))
    gaps = console.execute_script("return [...document.querySelectorAll('#chart text.gap')].map((t) => t.textContent)")
    assert gaps == ["+5 wk"]  # the month between the burst and the survey is cut out of the axis
    lanes = console.execute_script("return [...document.querySelectorAll('#chart text.lane')].map((t) => t.textContent)")
    assert lanes == ["Reports and estimates", "Projections"]
    legend = console.find_element("id", "legend").text
    for source in ("Millbrook council", "the fire brigade", "county insurers", "unattributed", "contradicted"):
        assert source in legend
    console.find_element("id", "timeline-section").screenshot(str(SHOTS / "story-timeline.png"))


def test_the_headline_is_in_the_feed_and_the_evidence_panel(console):
    from selenium.webdriver.common.by import By

    _open(console, STORY_KEY)
    console.find_element(By.CSS_SELECTOR, "#figures button").click()
    evidence = console.find_element(By.ID, "evidence")
    assert _wait_for(evidence.is_displayed)
    assert "River bursts its banks in Millbrook · Millbrook Courier" in evidence.text
    # a seed article's headline, from the manifest through the ingest and extraction to the claim
    troops = next(q["quantity_key"] for q in console.stack.api_get("/quantities")
                  if q["quantity_key"].startswith("north_korea.troops"))
    _open(console, troops)
    groups = [g for g in console.find_elements(By.CSS_SELECTOR, "#chart g.figure")
              if g.get_attribute("data-figure") == "approximately 8,000"]
    groups[0].find_element(By.CSS_SELECTOR, "circle, rect").click()
    assert _wait_for(lambda: "Zelenskyy urges allies" in console.find_element(By.ID, "evidence").text)
    headlines = console.execute_script("return [...document.querySelectorAll('#feed .headline')]"
                                       ".map((n) => n.textContent)")
    assert any("North Korea" in h for h in headlines), headlines
    console.save_screenshot(str(SHOTS / "evidence-headline.png"))


def test_from_the_feed_a_contradiction_s_two_figures_and_sentences_take_one_click(console):
    """The analyst's task: find a contradiction and read both sides. At most three clicks; it takes two."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(console.find_element(By.ID, "filter-kind")).select_by_value("contradiction")  # click 1
    try:
        # the server filters: wait for its answer, then take the redrawn items
        assert _wait_for(lambda: console.execute_script(
            "const kinds = [...document.querySelectorAll('#feed li[data-kind]')].map((n) => n.dataset.kind);"
            "return kinds.length > 0 && kinds.every((k) => k === 'contradiction')")), \
            console.find_element(By.ID, "feed").text
        item = console.find_elements(By.CSS_SELECTOR, "#feed li[data-kind]")[0]
        alert = next(a for a in console.stack.api_get("/alerts?kind=contradiction")
                     if a["alert_id"] == item.get_attribute("data-alert"))
        item.find_element(By.CSS_SELECTOR, "button.evidence-button").click()  # click 2
        evidence = console.find_element(By.ID, "evidence")
        assert _wait_for(lambda: len(evidence.find_elements(By.CSS_SELECTOR, ".evidence-card")) >= 2)
        for claim in (alert["claim"], alert["related"][0]):
            assert claim["figure_text"] in evidence.text and claim["sentence"] in evidence.text
        console.save_screenshot(str(SHOTS / "contradiction.png"))
    finally:
        Select(console.find_element(By.ID, "filter-kind")).select_by_value("")


def test_a_new_alert_appears_without_a_reload_within_two_seconds(console):
    from selenium.webdriver.common.by import By

    console.execute_script("window.__same_page = true")
    key = "console_test.killed.quarry"
    claim = make_claim(9, key=key, source="Quarry owners", claim_id="live-quarry", article="live",
                       sentence="The quarry owners said nine workers were hurt.", as_of=date(2025, 5, 5))
    _publish(console.stack, [claim.model_copy(update={"published_at": datetime(2030, 1, 1, tzinfo=timezone.utc)})])
    wait_until(lambda: console.stack.api_get(f"/alerts?quantity={key}"), 60, "the live claim's alert")
    delivered = time.monotonic()
    shown = wait_until(lambda: key in console.find_element(By.ID, "feed").text, 10, poll_s=0.05)
    elapsed = time.monotonic() - delivered
    assert shown and elapsed < 2.0, f"shown {shown} after {elapsed:.2f} s"
    assert console.execute_script("return window.__same_page === true")  # no reload
    assert "live" in console.find_element(By.ID, "live").text


def test_the_console_works_in_a_narrow_window(console):
    from selenium.webdriver.common.by import By

    console.set_window_size(420, 1400)
    assert console.find_element(By.ID, "feed").is_displayed()
    assert console.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    console.save_screenshot(str(SHOTS / "narrow.png"))
    console.set_window_size(1280, 1400)


def test_controls_are_labelled_and_reachable_by_keyboard(console):
    from selenium.webdriver.common.by import By

    for control in ("filter-kind", "filter-quantity", "filter-source", "filter-since"):
        element = console.find_element(By.ID, control)
        assert console.execute_script("return arguments[0].labels.length", element) == 1, control
    focusable = console.find_elements(By.CSS_SELECTOR, "#chart g.figure[tabindex='0']")
    assert focusable


def _pwned(console):
    return console.execute_script("return window.__pwned === undefined ? null : window.__pwned")


def test_article_markup_is_shown_as_text_and_runs_nothing(console):
    from selenium.webdriver.common.by import By

    # the feed and the table are redrawn every 2 s: read and click them in one step each, not element by element
    def texts(selector):
        return console.execute_script("return [...document.querySelectorAll(arguments[0])].map((n) => n.innerText)",
                                      selector)

    item = _wait_for(lambda: [text for text in texts("#feed li[data-kind]") if HOSTILE_KEY in text])
    assert item and "<img src=x onerror=" in item[0]
    row = [text for text in texts("#quantities tr[data-quantity]") if text.startswith(HOSTILE_KEY)]
    assert row and "Harbour office <img src=x" in row[0]
    console.execute_script("document.querySelector(`#quantities tr[data-quantity='${arguments[0]}'] button`).click()",
                           HOSTILE_KEY)
    # the timeline is drawn once the quantity's answer is in (until then it shows the previous quantity)
    assert _wait_for(lambda: HOSTILE_KEY in console.find_element(By.ID, "timeline-title").text)
    assert any("25 <img src=x" in text for text in texts("#figures button"))
    drawn = console.execute_script("return [...document.querySelectorAll('#chart g.figure text')]"
                                   ".map((n) => n.textContent)")
    assert any("25 <img src=x" in label for label in drawn)  # the SVG label too
    console.find_element(By.CSS_SELECTOR, "#figures button").click()
    evidence = console.find_element(By.ID, "evidence")
    assert _wait_for(evidence.is_displayed)
    assert f"killed {SCRIPT} on Monday" in evidence.text
    links = evidence.find_elements(By.TAG_NAME, "a")
    assert [link.get_attribute("href") for link in links] == [
        "https://news.example/harbour?q=%22%3E%3Csvg/onload=window.__pwned=1%3E"]
    # not one element came from the article: the page's only image-like nodes and scripts are its own
    assert console.execute_script("return document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert console.execute_script("return [...document.scripts].map((s) => s.src.split('/').pop())") \
        == ["timeline.js", "console.js"]
    assert _pwned(console) is None
    console.save_screenshot(str(SHOTS / "hostile.png"))


@pytest.mark.parametrize("url", ["javascript:window.__pwned=['link']", " JavaScript:window.__pwned=['link']",
                                 "data:text/html,<script>window.__pwned=['data']</script>", "/ui/", "not a url"])
def test_an_article_address_that_is_not_http_is_plain_text(console, url):
    """Claims stored before the ingest refused such addresses, or written by another producer, may hold one."""
    from selenium.webdriver.common.by import By

    figure = console.stack.api_get(f"/quantities/{HOSTILE_KEY}")["timeline"][0]
    console.execute_script("showEvidence(arguments[0])", {**figure, "article_url": url})
    evidence = console.find_element(By.ID, "evidence")
    assert not evidence.find_elements(By.TAG_NAME, "a")
    shown = evidence.find_element(By.CSS_SELECTOR, "span.article")
    assert url.strip() in shown.text
    shown.click()
    assert _pwned(console) is None and console.current_url.split("#")[0].endswith("/ui/")


def test_the_page_keeps_to_its_content_security_policy(console):
    csp = console.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('./').then((r) => done(r.headers.get('content-security-policy')));")
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "default-src 'none'" in csp
    # every view so far was drawn without one refused script, style or request
    violations = [entry["message"] for entry in console.get_log("browser")
                  if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]]
    assert violations == [], violations
    # and the policy is enforced: an inline script put in the page does not run
    console.execute_script("const s = document.createElement('script');"
                           "s.textContent = 'window.__pwned = [\"inline\"]'; document.body.append(s);")
    time.sleep(0.3)
    assert _pwned(console) is None


def test_with_two_alerter_workers_the_console_lists_every_quantity_once(console, tmp_path):
    """Each worker holds its partitions; the page's worker asks the other, so the view is whole."""
    from selenium.webdriver.common.by import By

    from claimwatch.local_stack import LocalStack

    with LocalStack(tmp_path / "two", partitions=4) as stack:
        stack.start_alerter("alerter2")
        stack.wait_healthy(60)

        def split():  # both workers' routers agree on a split over two hosts: the group has settled
            views = [_get_json(f"{stack.services[name].base_url}/router/") for name in ("alerter", "alerter2")]
            return views[0] is not None and views[0] == views[1] and len(views[0]) == 2
        wait_until(split, 60, "the two alerters to split the partitions")
        from services.ingestor.publisher import ArticlePublisher
        from services.ingestor.replay import replay

        publisher = ArticlePublisher(stack.kafka)
        replay(SEEDS, publisher, rate=50, progress=False)  # settling is counted per worker: wait on the tables
        publisher.close()
        _publish(stack, _story_claims())

        def held():
            return [{q["quantity_key"] for q in stack.api_get("/quantities", name)} for name in ("alerter", "alerter2")]
        from services.extractor.extraction import extract_claims
        from services.ingestor.sources import manifest_articles
        expected = {c.quantity_key for _, article in manifest_articles(SEEDS / "manifest.json")
                    for c in extract_claims(article)} | {STORY_KEY}
        wait_until(lambda: set().union(*held()) == expected, 90, "the two workers to hold every quantity")
        first, second = held()
        assert first and second and not first & second  # split between the workers
        console.get(f"{stack.services['alerter'].base_url}/ui/")
        field = console.find_element(By.CSS_SELECTOR, "input[name='token']")
        field.send_keys(stack.api_token)
        field.submit()

        def listed():
            return console.execute_script("return [...document.querySelectorAll('#quantities tr[data-quantity]')]"
                                          ".map((r) => r.dataset.quantity)")
        rows = wait_until(lambda: (lambda r: r if set(r) >= first | second else None)(listed()), 20) or listed()
        assert sorted(rows) == sorted(expected), (rows, first, second)  # every quantity, once
        # and an alert raised on the other worker arrives live, relayed by this one
        theirs = {_partition(k, 4) for k in second}
        key = next(k for k in (f"console_test.killed.site{n}" for n in range(200)) if _partition(k, 4) in theirs)
        _publish(stack, [make_claim(7, key=key, claim_id="live-second", article="live-second", source="Site crew",
                                    as_of=date(2025, 6, 1)).model_copy(
            update={"published_at": datetime(2031, 1, 1, tzinfo=timezone.utc)})])
        wait_until(lambda: stack.api_get(f"/alerts?quantity={key}", "alerter2"), 60, "the second worker's alert")
        delivered = time.monotonic()
        assert wait_until(lambda: key in console.find_element(By.ID, "feed").text, 10, poll_s=0.05)
        assert time.monotonic() - delivered < 2.0
        console.save_screenshot(str(SHOTS / "two-workers.png"))


def _get_json(url: str):
    import json
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read())
    except OSError:
        return None


def _partition(key: str, partitions: int) -> int:
    from kafka.partitioner.default import murmur2
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions  # the producer's default partitioner
