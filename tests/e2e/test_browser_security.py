"""The screens work under the server's Content-Security-Policy with no
violation, and a link with a different facilitator key does not replace the
one this browser holds without asking."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.test_browser_screens import host, join, new_room
from e2e.test_debrief import play_workshop

pytestmark = pytest.mark.browser

# Runs in every page before its own scripts (injected by the browser, so the
# policy does not apply to it); the policy's refusals are counted here.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def watched(people, label: str, **kw):
    person = people(label, **kw)
    person.context.add_init_script(WATCH)
    person.csp_console = []
    person.page.on("console", lambda m: "Content Security Policy" in m.text and person.csp_console.append(m.text))
    return person


def violations(person) -> list[str]:
    return person.page.evaluate("window.__csp || []") + person.csp_console


def test_screens_work_under_the_content_security_policy(people, server, tmp_path):
    room, clients = play_workshop(server)
    try:
        landing = watched(people, "landing")
        landing.page.goto("/")
        expect(landing.page.locator("main#main")).to_be_visible()
        res = requests.get(server.url + "/", timeout=10)
        assert "frame-ancestors 'none'" in res.headers["Content-Security-Policy"]

        fresh = new_room(server, title="CSP check")
        fac = watched(people, "facilitator")
        host(fac, fresh)
        expect(fac.page.get_by_test_id("qr")).to_be_visible()  # a data: image
        ann = watched(people, "ann", phone=True)
        join(ann, fresh, "Ann")
        expect(fac.page.get_by_test_id("participant").filter(has_text="Ann")).to_have_count(1)  # over the socket

        report = watched(people, "report", size={"width": 1100, "height": 1200})
        report.page.goto(f"/report/{room['code']}#key={room['facilitator_token']}")
        rp = report.page
        expect(rp.get_by_test_id("report")).to_have_attribute("data-ready", "true")
        expect(rp.locator("[data-testid=report-round] canvas[data-rendered=true]")).to_have_count(2)  # chart.js

        pdf = tmp_path / "report.pdf"
        rp.pdf(path=str(pdf), format="A4")
        first = " ".join((PdfReader(str(pdf)).pages[0].extract_text() or "").split())
        assert f"Calmroom · {room['code']} · 1 /" in first  # the page footer, set without inline style

        for person in (landing, fac, ann, report):
            assert violations(person) == [], person.label
    finally:
        for c in clients:
            c.close()
    people.check()


def test_a_link_with_another_key_asks_before_replacing_the_held_one(people, server):
    room = new_room(server, title="Key check")
    fac = people("facilitator")
    host(fac, room)
    page = fac.page

    # each link is opened afresh, as from a chat message (a hash change alone does not reload)
    page.goto("about:blank")
    # the same key again just opens the console
    page.goto(f"/host/{room['code']}#key={room['facilitator_token']}")
    expect(page.get_by_test_id("room-code")).to_have_text(room["code"])
    assert page.get_by_test_id("key-choice").count() == 0

    # a different key: asked, and "keep" keeps the console working
    page.goto("about:blank")
    page.goto(f"/host/{room['code']}#key=junk")
    expect(page.get_by_test_id("key-choice")).to_be_visible()
    assert "key=" not in page.url
    fac.shot("key-choice")
    page.get_by_test_id("key-keep").click()
    expect(page.get_by_test_id("room-code")).to_have_text(room["code"])
    held = page.evaluate(f"JSON.parse(localStorage.getItem('calmroom.hosts'))['{room['code']}'].token")
    assert held == room["facilitator_token"]

    # the report asks too; choosing the link's key replaces it (and is refused by the server)
    page.goto("about:blank")
    page.goto(f"/report/{room['code']}#key=junk")
    expect(page.get_by_test_id("key-choice")).to_be_visible()
    page.get_by_test_id("key-replace").click()
    held = page.evaluate(f"JSON.parse(localStorage.getItem('calmroom.hosts'))['{room['code']}'].token")
    assert held == "junk"
    people.allow(r"401")  # the report's fetch with the wrong key

    # in Dutch the question is Dutch
    nl = people("nl", locale="nl-NL")
    host(nl, room)
    nl.page.goto("about:blank")
    nl.page.goto(f"/host/{room['code']}#key=ander")
    expect(nl.page.get_by_test_id("key-choice")).to_contain_text("trainerssleutel")
