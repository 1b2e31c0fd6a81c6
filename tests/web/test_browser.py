"""The dashboard in a real browser (Debian's headless Chromium driven by selenium through chromedriver): every
page loads from casus alone, filters work, an event leads to its highlighted trigger in the article, a pasted
article is coded on the spot, and a hostile article's scripts never run. Screenshots go to the test's tmp
folder and to /tmp/casus-screens/ for review. No network: the server listens on 127.0.0.1 only."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from casus_web_helpers import XSS_ID

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
REVIEW = Path("/tmp/casus-screens")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=en-GB"]
ARTICLE = ("Armenia accused Azerbaijan of shelling border villages near Tavush on Monday, killing two soldiers.\n\n"
           "The European Union urged both sides to show restraint. Russia offered to mediate talks in Moscow.")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
                       reason="no chromium/chromedriver binary (apt-get install chromium chromium-driver)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(web_db):
    import uvicorn

    from casus.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(web_db, allowed_hosts=["127.0.0.1"]), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screens")
    REVIEW.mkdir(parents=True, exist_ok=True)

    def take(driver, name: str) -> Path:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1366, max(900, min(int(height) + 40, 5000)))  # the whole page, within reason
        driver.execute_script("window.scrollTo(0, 0)")
        path = folder / f"{name}.png"
        driver.save_screenshot(str(path))
        shutil.copy(path, REVIEW / path.name)
        driver.set_window_size(1366, 900)
        assert path.stat().st_size > 10_000
        return path

    return take


def _console_problems(driver) -> list[str]:
    """Console messages that mean something was blocked or broken (CSP violations, failed loads, JS errors)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def _foreign_resources(driver, base_url: str) -> list[str]:
    names = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return [n for n in names if not n.startswith(base_url)]


def _no_alert(driver) -> bool:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, 1).until(EC.alert_is_present())
    except TimeoutException:
        return True
    driver.switch_to.alert.dismiss()
    return False


def test_overview(browser, base_url, shots):
    from selenium.webdriver.common.by import By

    browser.get(base_url + "/")
    assert browser.title == "casus"
    assert browser.find_element(By.CSS_SELECTOR, "header nav a[aria-current=page]").text == "Overview"
    alerts = browser.find_elements(By.CSS_SELECTOR, "article.alert h3 a")
    assert alerts and "ARM–AZE" in alerts[0].text
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) >= 3
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    assert _foreign_resources(browser, base_url) == []
    assert _console_problems(browser) == []
    shots(browser, "01-overview")


def test_events_browser_filters_and_pages(browser, base_url, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(base_url + "/events")
    total = int(browser.find_element(By.ID, "count").text.split()[0])
    assert total > 100
    assert browser.find_element(By.CSS_SELECTOR, "a[rel=next]")
    browser.find_element(By.NAME, "dyad").send_keys("ARM:AZE")
    browser.find_element(By.NAME, "unordered").click()
    Select(browser.find_element(By.NAME, "plover")).select_by_visible_text("ASSAULT")  # applies at once (JS)
    WebDriverWait(browser, 20).until(lambda d: "plover=ASSAULT" in d.current_url)
    count = int(browser.find_element(By.ID, "count").text.split()[0])
    assert 0 < count < total
    rows = browser.find_elements(By.CSS_SELECTOR, "table.events tbody tr")
    assert len(rows) == min(count, 50)
    for row in rows:
        assert "ASSAULT" in row.find_element(By.CSS_SELECTOR, ".plover").text
        assert row.find_element(By.CSS_SELECTOR, "mark.trigger").text
    assert "dyad=ARM%3AAZE" in browser.current_url and "unordered=on" in browser.current_url
    shots(browser, "02-events-filtered")
    browser.find_element(By.LINK_TEXT, "Goldstein").click()  # sort by a column
    WebDriverWait(browser, 20).until(lambda d: "order=" in d.current_url)
    values = [float(td.text) for td in browser.find_elements(By.CSS_SELECTOR, "table.events tbody td:nth-child(6)")]
    assert values == sorted(values) or values == sorted(values, reverse=True)
    since = browser.find_element(By.NAME, "since")  # a filter that matches nothing (set directly: a date
    browser.execute_script("arguments[0].value = '2099-01-01'", since)  # widget's typing order follows the locale)
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: "since=2099-01-01" in d.current_url)
    assert browser.find_element(By.ID, "count").text.startswith("0 events")


def test_event_leads_to_its_highlighted_trigger(browser, base_url, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(base_url + "/events?dyad=ARM:AZE&plover=ASSAULT&unordered=on")
    row = browser.find_element(By.CSS_SELECTOR, "table.events tbody tr")
    event_id = row.get_attribute("data-ev")
    trigger = row.find_element(By.CSS_SELECTOR, "mark.trigger").text
    row.find_element(By.CSS_SELECTOR, "a.to-doc").click()
    WebDriverWait(browser, 20).until(lambda d: "/documents/" in d.current_url)
    assert browser.current_url.endswith(f"#ev-{event_id}")
    marks = [m for m in browser.find_elements(By.CSS_SELECTOR, "#article mark.trigger")
             if event_id in m.get_attribute("data-ev").split()]
    assert marks and marks[0].text == trigger and marks[0].is_displayed()
    assert "current" in marks[0].get_attribute("class")
    colour = marks[0].value_of_css_property("background-color")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    in_view = browser.execute_script("const r = arguments[0].getBoundingClientRect(); "
                                     "return r.top >= 0 && r.bottom <= window.innerHeight;", marks[0])
    assert in_view, "the page did not scroll to the event"
    item = browser.find_element(By.ID, f"item-{event_id}")
    assert "current" in item.get_attribute("class")
    removed = browser.find_element(By.CSS_SELECTOR, "details.removed")
    assert removed.find_elements(By.CSS_SELECTOR, "li")
    assert _console_problems(browser) == []
    shots(browser, "03-document-highlight")


def test_code_an_article(browser, base_url, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(base_url + "/code")
    area = browser.find_element(By.ID, "article-input")
    area.send_keys(ARTICLE)
    assert browser.find_element(By.ID, "char-count").text.startswith(f"{len(ARTICLE)}")
    browser.execute_script("arguments[0].value = '2025-10-08'", browser.find_element(By.NAME, "date"))
    browser.find_element(By.ID, "code-submit").click()
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".result"))
    rows = browser.find_elements(By.CSS_SELECTOR, ".result table.events tbody tr")
    assert rows
    plovers = {r.find_element(By.CSS_SELECTOR, ".plover").text for r in rows}
    assert "ACCUSE" in plovers
    assert browser.find_elements(By.CSS_SELECTOR, ".result #article mark.trigger")
    assert browser.find_element(By.ID, "article-input").get_attribute("value").startswith("Armenia accused")
    shots(browser, "04-code-article")


def test_hostile_article_shows_as_text_and_runs_nothing(browser, base_url, shots):
    from selenium.webdriver.common.by import By

    browser.get(f"{base_url}/documents/{XSS_ID}")
    assert _no_alert(browser)
    assert browser.execute_script("return window.casusXss === undefined")
    text = browser.find_element(By.ID, "article").text
    assert "<script>window.casusXss=2;alert(1)</script>" in text and '<img src=x onerror="window.casusXss=3">' in text
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("<script>window.casusXss=1</script>")
    assert browser.find_element(By.CSS_SELECTOR, "code.unsafe-url").text == "javascript:window.casusXss=5"
    assert not browser.find_elements(By.CSS_SELECTOR, "#article img, #article script, #article a, h1 script")
    for link in browser.find_elements(By.TAG_NAME, "a"):
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    browser.get(f"{base_url}/events?doc_id={XSS_ID}")
    assert _no_alert(browser) and browser.execute_script("return window.casusXss === undefined")
    shots(browser, "05-hostile-article")
    browser.get(f"{base_url}/documents/{XSS_ID}")
    shots(browser, "05-hostile-article-document")


def test_dyad_and_actor_pages(browser, base_url, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(base_url + "/dyad")
    browser.find_element(By.PARTIAL_LINK_TEXT, "ARM – AZE").click()
    WebDriverWait(browser, 20).until(lambda d: "a=ARM" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "ARM – AZE"
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) >= 3
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart circle")  # Goldstein points
    assert browser.find_elements(By.CSS_SELECTOR, "table.events tbody tr")  # key events
    shots(browser, "06-dyad")
    browser.find_element(By.LINK_TEXT, "ARM").click()
    WebDriverWait(browser, 20).until(lambda d: "/actor/ARM" in d.current_url)
    nodes = browser.find_elements(By.CSS_SELECTOR, "svg.chart a.node")
    assert nodes, "no partner nodes in the network"
    assert _console_problems(browser) == []
    shots(browser, "07-actor")
    browser.get(base_url + "/actors?q=azer")
    assert browser.find_elements(By.LINK_TEXT, "AZE")
    shots(browser, "08-actors-search")
