"""What the browser tests do on a page: check it with axe, visit, sign in and out.

A check fails on axe-core violations of impact "serious" or "critical" (WCAG 2.0/2.1 A and AA
rules), and on any Content-Security-Policy violation or uncaught JavaScript error the page
reported (recorded by the `new_page` fixture in conftest.py).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_SOURCE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
  }));
}"""


@cache
def _axe_source() -> str:
    return AXE_SOURCE_PATH.read_text(encoding="utf-8")


def check_a11y(page) -> None:
    """axe-core on the page shown now: no serious or critical violation; and no CSP violation
    nor uncaught JavaScript error reported so far (see the `new_page` fixture).

    axe is injected through the DevTools protocol (page.evaluate), which the page's
    Content-Security-Policy does not apply to; a <script> tag would be refused, rightly.
    """
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(_RUN_AXE, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"  - {v['id']} ({v['impact']}): {v['help']}; "
        f"{len(v['targets'])} element(s), e.g. {', '.join(v['targets'][:3])}"
        for v in blocking)
    assert not blocking, f"axe found accessibility problems on {page.url}:\n{report}"
    assert not page.csp_violations, (
        f"Content-Security-Policy violations on {page.url}:\n  " + "\n  ".join(page.csp_violations))
    assert not page.js_errors, (
        f"JavaScript errors on {page.url}:\n  " + "\n  ".join(page.js_errors))


def visit(page, path: str, status: int = 200):
    """Goes to `path` (relative to the live server), checks the status and accessibility."""
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"GET {path}: expected {status}, got {response.status if response else 'no response'}")
    check_a11y(page)
    return response


def sign_in(page, email: str, password: str) -> None:
    """Signs in through the form at /accedi (checked with axe before and after)."""
    visit(page, "/accedi")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(lambda url: "/accedi" not in url)
    check_a11y(page)


def sign_out(page) -> None:
    """Signs out through the user menu of the header (its button carries the person's name)."""
    page.locator("#cop-user-menu-button").click()
    page.get_by_role("button", name="Esci", exact=True).click()
    page.wait_for_url("**/accedi")
    check_a11y(page)
