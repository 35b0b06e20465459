"""The analyst console end to end: replay the seeds through the real services, then drive /ui/ in headless
Chromium (Debian's chromium and chromium-driver, installed by .ci/run). Screenshots of each view are saved
to artifacts/ui/."""
from __future__ import annotations

import shutil
import time

import pytest

from services.ingestor.publisher import ArticlePublisher
from services.ingestor.replay import replay
from tests.conftest import ROOT, SEEDS

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("chromedriver") is None,
                       reason="Chromium is not installed: `apt-get install chromium chromium-driver` "
                              "(Debian's packages; .ci/run installs them)"),
]
SHOTS = ROOT / "artifacts" / "ui"


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from services.local_stack import LocalStack

    with LocalStack(tmp_path_factory.mktemp("console") / "stack") as stack:
        publisher = ArticlePublisher(stack.kafka)
        replay(SEEDS, publisher, rate=50, progress=False)
        publisher.close()
        stack.wait_until_settled(5, timeout_s=90)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1400", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        driver.implicitly_wait(10)
        SHOTS.mkdir(parents=True, exist_ok=True)
        try:
            driver.get(f"{stack.services['alerter'].base_url}/ui/")
            yield driver
        finally:
            driver.quit()


def _wait_for(predicate, timeout_s: float = 15.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


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
