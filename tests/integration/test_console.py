"""The analyst console end to end: replay the seeds through the real services, log in with the API token,
then drive /ui/ in headless Chromium (Debian's chromium and chromium-driver, installed by .ci/run).
Screenshots of each view are saved to artifacts/ui/. A claim full of markup and script is shown as text and
runs nothing, under the page's Content-Security-Policy."""
from __future__ import annotations

import shutil
import time
from datetime import date, datetime, timezone

import pytest
from kafka import KafkaProducer

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


def _publish_hostile_claim(stack) -> None:
    """A claim whose text fields carry markup, written straight to `claims` as any producer there could."""
    claim = make_claim(25, key=HOSTILE_KEY, source=f"Harbour office {IMG}", claim_id="hostile-harbour",
                       sentence=f"The harbour office {IMG} said 25 people were killed {SCRIPT} on Monday.",
                       article="hostile", as_of=date(2024, 10, 20))
    claim = claim.model_copy(update={"figure_text": f"25 {IMG}", "article_url": HOSTILE_URL, "outlet": SCRIPT,
                                     "published_at": datetime(2024, 10, 21, tzinfo=timezone.utc)})
    producer = KafkaProducer(bootstrap_servers=stack.broker.bootstrap, batch_size=stack.kafka.producer_max_batch_size)
    producer.send(CLAIMS, key=HOSTILE_KEY.encode(), value=claim.model_dump_json().encode())
    producer.flush()
    producer.close()
    deadline = time.monotonic() + 60
    while not stack.api_get(f"/alerts?quantity={HOSTILE_KEY}") and time.monotonic() < deadline:
        time.sleep(0.3)
    assert stack.api_get(f"/alerts?quantity={HOSTILE_KEY}"), "the hostile claim raised no alert"


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from services.local_stack import LocalStack

    with LocalStack(tmp_path_factory.mktemp("console") / "stack") as stack:
        replay_seeds(stack, SEEDS)
        _publish_hostile_claim(stack)
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
    Select(console.find_element(By.ID, "filter-kind")).select_by_value("denial")
    kinds = {item.get_attribute("data-kind") for item in console.find_elements(By.CSS_SELECTOR, "#feed li[data-kind]")}
    Select(console.find_element(By.ID, "filter-kind")).select_by_value("")
    assert kinds == {"denial"} and everything > 1


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
        == ["console.js"]
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
    assert _pwned(console) is None and console.current_url.endswith("/ui/")


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
