"""The HTML report in headless Chromium (Debian's ``chromium``, driven by Python playwright).

Loads the written file from disk and checks: no console errors or page errors,
no request other than the file itself, the totals shown equal the JSON result,
and the table sorts and filters. Not skipped when Chromium is missing: CI
installs it (.ci/run). Set GOVDATA_SKIP_BROWSER=1 to skip on purpose.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govdata_policy.report import write_report

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if os.environ.get("GOVDATA_SKIP_BROWSER") == "1":
        pytest.skip("GOVDATA_SKIP_BROWSER=1")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "chromium not found: apt-get install chromium (see .ci/run), or set GOVDATA_SKIP_BROWSER=1"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright not installed: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Loaded:
    """A page with everything it logged and requested."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.page = browser.new_page()
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url, wait_until="load")
        self.page.wait_for_selector("body[data-ready='1']", timeout=10_000)

    def value(self, selector: str) -> int:
        return int(self.page.get_attribute(selector, "data-value") or "-1")

    def text(self, selector: str) -> str:
        return self.page.inner_text(selector).strip()

    def column(self, index: int) -> list[str]:
        return self.page.eval_on_selector_all(
            "#violations-table tbody tr", f"rows => rows.map(r => r.cells[{index}].textContent)"
        )

    def clean(self) -> None:
        assert self.errors == []
        assert [m for m in self.console if m[0] in ("error", "warning")] == []
        assert self.requests == [self.url]
        assert self.dialogs == []


@pytest.fixture(params=["zh", "en"])
def loaded(request: pytest.FixtureRequest, browser: Any, result: Any, tmp_path: Path) -> Iterator[Loaded]:
    path = write_report(result, "html", tmp_path / f"report-{request.param}.html", lang=request.param)
    page = Loaded(browser, path)
    yield page
    page.page.close()


def test_loads_offline_without_errors(loaded: Loaded) -> None:
    loaded.clean()


def test_totals_shown_equal_the_json_result(loaded: Loaded, expected: dict[str, Any]) -> None:
    totals = {
        "#total-violations": len(expected["violations"]),
        "#total-obligations": len(expected["obligations"]),
        "#rows-read": expected["rows"]["read"],
        "#rows-accepted": expected["rows"]["accepted"],
        "#rows-rejected": expected["rows"]["rejected"],
        "#cases-with-findings": len({v["case_id"] for v in expected["violations"]}),
    }
    for selector, number in totals.items():
        assert loaded.value(selector) == number, selector
        assert loaded.text(selector) == str(number), selector
    for kind in ("late", "overdue", "missing", "premature", "prohibited", "invalid"):
        count = sum(v["kind"] == kind for v in expected["violations"])
        assert loaded.value(f"#kind-{kind}") == count
    for status in ("met", "late", "overdue", "pending", "missing"):
        count = sum(o["status"] == status for o in expected["obligations"])
        assert loaded.value(f"#status-{status}") == count
    assert len(loaded.page.query_selector_all("#rejected tbody tr")) == len(expected["rejected_rows"])


def test_table_lists_every_violation_and_sorts(loaded: Loaded, expected: dict[str, Any]) -> None:
    total = len(expected["violations"])
    assert loaded.value("#match-count") == total
    assert len(loaded.page.query_selector_all("#violations-table tbody tr")) == total
    assert sorted(loaded.column(0)) == sorted(v["case_id"] for v in expected["violations"])
    header = loaded.page.locator("#violations-table th[data-col='8']")  # working days late
    header.click()
    late = [int(x) if x else None for x in loaded.column(7)]
    numbers = [x for x in late if x is not None]
    assert numbers == sorted(numbers) and late[: len(numbers)] == numbers  # blanks last
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    late = [int(x) for x in loaded.column(7) if x]
    assert late == sorted(late, reverse=True)
    assert late[0] == max(v["working_days_late"] or 0 for v in expected["violations"])
    loaded.clean()


def test_table_filters(loaded: Loaded, expected: dict[str, Any]) -> None:
    page = loaded.page
    page.select_option("#filter-kind", "late")
    assert loaded.value("#match-count") == sum(v["kind"] == "late" for v in expected["violations"])
    page.select_option("#filter-kind", "")
    page.select_option("#filter-clause", "18.2")
    assert sorted(loaded.column(0)) == sorted(
        v["case_id"] for v in expected["violations"] if v["clause"] == "18.2"
    )
    page.select_option("#filter-clause", "")
    page.fill("#filter-text", "市公安局")
    assert loaded.column(0) == ["S182-3"]
    page.fill("#filter-text", "no such text anywhere")
    assert loaded.value("#match-count") == 0
    page.fill("#filter-text", "")
    assert loaded.value("#match-count") == len(expected["violations"])
    loaded.clean()


def test_timelines_and_charts(loaded: Loaded, expected: dict[str, Any]) -> None:
    page = loaded.page
    cases = page.eval_on_selector_all("details.case", "els => els.map(e => e.dataset.case)")
    logged = {v["case_id"] for v in expected["violations"]} | {o["case_id"] for o in expected["obligations"]}
    assert set(cases) >= logged
    assert cases[0] in {v["case_id"] for v in expected["violations"]}  # cases with findings first
    assert page.eval_on_selector_all("details.case[open]", "els => els.length") == 0
    page.click("#expand-all")
    assert page.eval_on_selector_all("details.case[open]", "els => els.length") == len(cases)
    assert page.is_visible("details.case[data-case='S182-1'] svg.timeline")
    months = {o["due"][:7] for o in expected["obligations"] if o["status"] in ("met", "late", "overdue")}
    bars = page.eval_on_selector_all("#chart-month g.bar", "els => els.map(e => e.dataset.key)")
    assert sorted(bars) == sorted(months)
    decided = [o for o in expected["obligations"] if o["status"] in ("met", "late", "overdue")]
    totals = page.eval_on_selector_all("#chart-topic g.bar", "els => els.map(e => +e.dataset.total)")
    assert sum(totals) == len(decided)
    loaded.clean()


def test_hostile_text_stays_text(loaded: Loaded) -> None:
    """A case id and a party written to break out of the markup are shown as text, never run."""
    page = loaded.page
    assert page.eval_on_selector_all("img", "els => els.length") == 0
    page.fill("#filter-text", "</script>")
    assert loaded.column(0) == ["X</script><b>&\"'"]
    assert loaded.dialogs == []
    loaded.clean()
