"""axe-core, the npm package in client/node_modules, run on a Playwright page."""
from __future__ import annotations

from pathlib import Path

import pytest

CLIENT = Path(__file__).resolve().parents[2] / "client"
AXE = CLIENT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
_axe_source: list[str] = []


def axe_violations(page) -> list[str]:
    """axe-core's findings on the page as it is now, one line each. The
    script is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not block (a <script> tag would be)."""
    if not _axe_source:
        if not AXE.is_file():
            pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` in client/")
        _axe_source.append(AXE.read_text(encoding="utf-8"))
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source[0])
    found = page.evaluate(
        """async (tags) => {
            const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    return [f"{v['impact']} {v['id']}: {v['help']} at {', '.join(v['nodes'])}" for v in found]
