"""axe-core in a Playwright page: the WCAG 2.1 A/AA rules, with readable failure messages.

axe-core comes from npm (package.json pins the exact version, ``make install-test`` runs
``npm ci``) and is read from node_modules; nothing is fetched while tests run.

The site's Content-Security-Policy allows only scripts carrying the response's nonce, so
``page.add_script_tag`` (an inline script without it) is refused, exactly as the policy intends.
The script is therefore evaluated through the DevTools protocol, which a page's policy does not
govern, so the page is tested under its real headers rather than with the policy switched off.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.join(" "), html: n.html, summary: n.failureSummary,
    })),
  }));
}"""


class AxeMissing(RuntimeError):
    pass


@cache
def axe_source() -> str:
    if not AXE_JS.exists():
        raise AxeMissing(
            f"{AXE_JS.relative_to(ROOT)} is missing: run `make install-test` (npm ci) first"
        )
    return AXE_JS.read_text(encoding="utf-8")


def inject(page) -> None:
    """Load axe into the page once (again after each navigation)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    assert page.evaluate("() => typeof window.axe === 'object'"), "axe-core did not load"


def violations(page, tags=WCAG_TAGS) -> list[dict]:
    """axe's violations on the page as it is now, for the WCAG 2.0/2.1 A and AA tags."""
    inject(page)
    return page.evaluate(RUN, list(tags))


def report(found: list[dict], where: str = "") -> str:
    """The violations as text a person can act on: rule, impact, element and what to fix."""
    lines = [f"{len(found)} accessibility violation(s){' on ' + where if where else ''}:"]
    for v in found:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            for detail in (node["summary"] or "").splitlines()[:4]:
                lines.append(f"      {detail.strip()}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    found = violations(page)
    assert not found, report(found, where or page.url)
