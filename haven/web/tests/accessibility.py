"""axe-core inside a Playwright page: the serious and critical WCAG 2.1 A/AA violations a page has.

axe-core comes from the npm registry (package.json at the repository root; scripts/setup.sh installs it
into node_modules). Like Chromium itself, a missing axe-core skips the accessibility tests on a developer
machine and fails them in CI, or they would silently stop running.

Haven's Content-Security-Policy runs no inline script, so axe cannot be added as a <script> element. It is
evaluated through the DevTools protocol instead (`page.evaluate`), which the page's policy does not govern:
the app's policy stays exactly as strict during the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from haven.web.tests.browser_support import _unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_SOURCE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({rule: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" "))}));
}"""


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.targets[:5]) + (" …" if len(self.targets) > 5 else "")
        return f"{self.page}: {self.rule} ({self.impact}) {self.help} — at {where}"


def skip_unless_axe_available() -> None:
    if not AXE_SOURCE.is_file():
        _unavailable(f"accessibility tests need axe-core at {AXE_SOURCE} (run scripts/setup.sh)")


@cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def serious_violations(page: Page, label: str) -> list[Violation]:
    """Run axe on the page as it is now; keep what blocks people (serious, critical), named by `label`."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE, WCAG_TAGS)
    return [
        Violation(label, v["rule"], v["impact"], v["help"], tuple(v["targets"]))
        for v in found
        if v["impact"] in BLOCKING_IMPACTS
    ]


# Keyboard alone. Each element focus reaches is marked with its step number, so the walk can tell one
# element from another without ids, and report where it went wrong.
FOCUSED = """(step) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) { return null; }
  if (el.dataset.a11yStep === undefined) { el.dataset.a11yStep = String(step); }
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const box = el.getBoundingClientRect();
  return {step: Number(el.dataset.a11yStep), tag: el.tagName.toLowerCase(), id: el.id,
    name: (el.getAttribute("aria-label") || el.innerText || el.name || "").trim().slice(0, 40),
    indicated: outlined || style.boxShadow !== "none", shown: box.width > 1 && box.height > 1};
}"""

# What Tab should reach: focusable, not disabled, rendered; of a group of radio buttons only one.
TABBABLE_COUNT = """() => {
  const radios = new Set();
  return [...document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")]
    .filter((el) => el.tabIndex >= 0 && !el.disabled && el.type !== "hidden" && el.getClientRects().length > 0
      && getComputedStyle(el).visibility !== "hidden")
    .filter((el) => el.type !== "radio" || (!radios.has(el.name) && radios.add(el.name)))
    .length;
}"""


@dataclass(frozen=True)
class Focus:
    step: int
    tag: str
    id: str
    name: str
    indicated: bool
    shown: bool

    def __str__(self) -> str:
        return f"<{self.tag}{'#' + self.id if self.id else ''}> {self.name!r}"


def focused(page: Page, step: int = -1) -> Focus | None:
    """The element that has focus now (None: the page itself), marked `step` when it is seen first."""
    found: dict[str, Any] | None = page.evaluate(FOCUSED, step)
    return Focus(**found) if found else None


def tab_to(page: Page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the element `selector` names has focus, as someone who can only use keys would."""
    for _press in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab never reached {selector} on {page.url}")


def walk_with_tab(page: Page, label: str) -> list[str]:
    """Tab round the page once, then Shift+Tab round it once; return what went wrong.

    Every control must show where focus is; Tab must reach each of them once and, after the last, come
    back to where it started (a trap sends it back earlier, to a control inside the trap); Shift+Tab must
    retrace the same circle backwards. The walk starts wherever focus is (a sign-in page puts it in its
    first field), so the paths are compared as circles.
    """
    expected: int = page.evaluate(TABBABLE_COUNT)
    forward, back_to = _walk(page, "Tab", expected, label)
    problems = [f"{label}: no visible focus on {f}" for f in forward if not (f.indicated and f.shown)]
    if len(forward) != expected or (forward and back_to != forward[0].step):
        again = next((str(f) for f in forward if f.step == back_to), "nothing")
        last = forward[-1] if forward else "none"
        problems.append(
            f"{label}: Tab reached {len(forward)} of {expected} controls; after {last} it went back"
            f" to {again} instead of on: focus is trapped"
        )
    backward, _back_to = _walk(page, "Shift+Tab", expected, label)
    if not _retraces(backward, forward):
        problems.append(f"{label}: Shift+Tab did not retrace Tab's path ({len(backward)} of {len(forward)})")
    return problems


def _retraces(backward: list[Focus], forward: list[Focus]) -> bool:
    """Whether `backward` is `forward` reversed, read as a circle (it may start anywhere on it)."""
    circle = [f.step for f in reversed(forward)] * 2
    steps = [f.step for f in backward]
    return len(steps) == len(forward) and any(
        circle[i : i + len(steps)] == steps for i in range(len(forward))
    )


def _walk(page: Page, key: str, expected: int, label: str) -> tuple[list[Focus], int | None]:
    """Press `key` until focus comes back to an element already passed; return the path and that element."""
    seen: list[Focus] = []
    for step in range(3 * expected + 3):  # a date field takes a press per part (day, month, year)
        now = _press(page, key, step if key == "Tab" else -1, label)
        if now is None or (seen and now.step == seen[-1].step):
            continue  # out of the page between its last control and its first; the next part of a field
        if any(now.step == earlier.step for earlier in seen):
            return seen, now.step
        seen.append(now)
    return seen, None


def _press(page: Page, key: str, step: int, label: str) -> Focus | None:
    from playwright.sync_api import Error

    url = page.url
    page.keyboard.press(key)
    try:
        return focused(page, step)
    except Error as gone:  # moving focus must never leave the page (quick exit fired on Shift+Tab?)
        raise AssertionError(f"{label}: pressing {key} on {url} left the page ({page.url})") from gone
