"""The elders' mode (适老化) measured in the browser, after 互联网网站适老化通用设计规范.

`assert_elder_friendly(page, url, name)` opens `url` at 375 px in both modes and asserts, from the computed
styles of what is on the screen in the elders' mode:

- every piece of text at least 24 px (18 pt) with a line height of at least 1.3 times its size;
- every piece of text at least 4.5:1 against the background it sits on;
- every control (button, field, menu, link standing on its own) at least 60 × 60 px; a checkbox or radio button
  counts together with its label, which takes the tap too; a link inside a sentence is part of the text;
- axe finds nothing, in the elders' mode and in the standard one.

A new page is one more call (or one more line in the list of tests/e2e/test_elders_mode.py).
"""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import screenshot

MIN_TEXT_PX = 24
MIN_TARGET_PX = 60
MIN_LINE_HEIGHT = 1.3
MIN_CONTRAST = 4.5

MEASURE = (Path(__file__).with_name("elders.js")).read_text(encoding="utf-8")
LIMITS = {"text": MIN_TEXT_PX, "line": MIN_LINE_HEIGHT, "contrast": MIN_CONTRAST, "target": MIN_TARGET_PX}


def set_mode(page, mode: str) -> None:
    """The mode as the switch leaves it: the site's `mode` cookie, absent in the standard mode. `page` is on
    the site already."""
    page.context.clear_cookies(name="mode")
    if mode == "elder":
        page.context.add_cookies([{"name": "mode", "value": "elder", "url": page.url}])


def measure(page) -> dict:
    return page.evaluate(MEASURE, LIMITS)


def axe_violations(page) -> list[str]:
    result = Axe().run(page)
    if result.violations_count == 0:
        return []
    return [result.generate_report()]


def assert_elder_friendly(page, url: str, name: str, ready=None) -> None:
    """`url` at 375 px: the elders' mode measured (see the module's docstring), axe in both modes, and a
    screenshot of each (var/screenshots/elders-NAME-375-{elder,standard}.png). `page` is signed in or not as
    the caller wants; its viewport is set to 375 px here. `ready(page)`, if given, waits for what scripts
    add to the page (a live session's buttons) before measuring."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(url)
    for mode in ("elder", "standard"):
        set_mode(page, mode)
        page.goto(url)
        if ready is not None:
            ready(page)
        found = measure(page)
        assert found["elder"] is (mode == "elder"), f"{url}: the page is not in the {mode} mode"
        if mode == "elder":
            assert found["texts"] > 0 and found["targets"] > 0, f"{url}: nothing measured"
            assert found["problems"] == [], f"{url} in the elders' mode:\n" + "\n".join(found["problems"])
        violations = axe_violations(page)
        assert violations == [], f"{url} in the {mode} mode:\n" + "\n".join(violations)
        screenshot(page, f"elders-{name}-375-{mode}")
    set_mode(page, "standard")
