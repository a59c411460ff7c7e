"""The facilitator's debrief after a workshop: two rounds played through the
real server by Socket.IO clients (quick, and with a deliberate disagreement on
one step), then in the browser: the debrief's timeline chart, per-step table,
agreement, per-participant view and conversation guide; the JSON and CSV
downloads; the printable report printed to PDF in headless Chromium; and
deleting the room with everything in it. Screenshots go to
test-artifacts/screenshots/."""
from __future__ import annotations

import csv
import io
import json
import re
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml
from playwright.sync_api import expect

from helpers.sio import Client
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
DECK = yaml.safe_load((ROOT / "decks" / "angry-customer-en.yaml").read_text(encoding="utf-8"))
STEPS = {s["key"]: s for s in DECK["steps"]}
CARDS = {c["id"]: c for c in DECK["cards"]}
ROUND_CARDS = ["double-debit", "cold-main-course"]  # both cards score every step
CSV_COLUMNS = ["room", "round", "card", "what", "who", "role", "step or question", "score", "text", "time"]  # the page is in English
TITLE = "Debrief café – Zoë's team"

# Final scores per round and observer; None is n/a. Round 1 disagrees on
# `empathy` (3 against 0); round 2 scores the critical `stay_calm` at 0 (capped)
# and nobody scores `follow_up` (both n/a).
SCORES = {
    1: {
        "Zoë": {"listen": 3, "empathy": 3, "ask": 2, "solve": 2, "agree": 1, "follow_up": None, "stay_calm": 2, "apology": 2},
        "Daniël": {"listen": 2, "empathy": 0, "ask": 2, "solve": 1, "agree": 1, "follow_up": 1, "stay_calm": 3, "apology": 3},
    },
    2: {
        "Zoë": {"listen": 2, "empathy": 2, "ask": 3, "solve": 1, "agree": 2, "follow_up": None, "stay_calm": 0, "apology": 1},
        "Daniël": {"listen": 2, "empathy": 1, "ask": 3, "solve": 2, "agree": 2, "follow_up": None, "stay_calm": 0, "apology": 1},
    },
}
DISAGREE = "empathy"

pytestmark = pytest.mark.browser


def play_workshop(server) -> tuple[dict, list[Client]]:
    """A room with four people and two revealed rounds; returns the room
    (code and facilitator token) and the open connections."""
    r = requests.post(server.url + "/api/rooms", json={"deck": DECK["id"], "title": TITLE}, timeout=10)
    assert r.status_code == 201, r.text
    room = r.json()
    fac = Client(server.url, "facilitator")
    fac.call("host_room", {"room": room["code"], "facilitator_token": room["facilitator_token"]})
    people: dict[str, Client] = {}
    for name in ("Ann", "Bob", "Zoë", "Daniël"):
        c = Client(server.url, name)
        c.id = c.call("join_room", {"room": room["code"], "name": name})["you"]["id"]
        people[name] = c
    observers = [people["Zoë"], people["Daniël"]]

    def mark(who: Client, step: str, rating: int, note: str | None = None) -> None:
        who.call("mark_step", {"id": uuid.uuid4().hex, "step": step, "rating": rating, **({"note": note} if note else {})})

    def anger(level: int) -> None:
        customer.call("set_temperature", {"id": uuid.uuid4().hex, "level": level})

    for number, (card, cust, agent) in enumerate(zip(ROUND_CARDS, ("Bob", "Ann"), ("Ann", "Bob")), start=1):
        customer = people[cust]
        fac.call("start_round", {"card": card, "customer": customer.id, "agent": people[agent].id})
        fac.call("begin_roleplay")
        time.sleep(0.6)
        anger(9)
        mark(people["Zoë"], "listen", 3, "liet haar uitpraten, geen ‘ja, maar’" if number == 1 else None)
        time.sleep(0.5)
        mark(people["Daniël"], "listen", 2)
        mark(people["Zoë"], DISAGREE, 3 if number == 1 else 2, "benoemde het gevoel")
        time.sleep(0.5)
        mark(people["Daniël"], DISAGREE, 0 if number == 1 else 1, "geen begrip getoond")
        mark(fac, "stay_calm", 2 if number == 1 else 0)
        if number == 1:
            people["Daniël"].call("call_timeout", {"reason": "Even pauze – te snel"})
            time.sleep(0.3)
            fac.call("resume_round")
        time.sleep(0.5)
        anger(6)
        mark(people["Zoë"], "solve", 2)
        time.sleep(0.5)
        anger(3 if number == 1 else 7)
        mark(people["Daniël"], "agree", 1)
        time.sleep(0.4)
        fac.call("end_roleplay")
        for obs in observers:
            for step, rating in SCORES[number][obs.label].items():
                obs.call("score_step", {"step": step, "rating": rating, **({"comment": "te lang"} if step == "apology" else {})})
            obs.call("rate_global", {"rating": 4 if obs.label == "Zoë" else 2})
        fac.call("score_step", {"step": DISAGREE, "rating": 1, "comment": "kort, maar gemeend"})
        fac.call("rate_global", {"rating": 3})
        customer.call("reflect", {"feeling": 3, "felt_heard": 4, "went_well": "Ze liet me uitpraten", "do_differently": "Sneller een datum noemen"})
        people[agent].call("reflect", {"feeling": 4, "went_well": "Rustig gebleven"})
        fac.call("reveal_results")
    return room, [fac, *people.values()]


def results_of(server, room) -> dict:
    r = requests.get(
        f"{server.url}/api/rooms/{room['code']}/results",
        headers={"Authorization": f"Bearer {room['facilitator_token']}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_debrief_exports_report_and_delete(people, server, tmp_path):
    room, clients = play_workshop(server)
    code = room["code"]
    try:
        _debrief_in_browser(people, server, room, code, tmp_path)
    finally:
        for c in clients:
            c.close()
    people.check()


def _debrief_in_browser(people, server, room, code, tmp_path):
    expected = results_of(server, room)
    assert [r["disagreements"] for r in expected["rounds"]] == [[DISAGREE], []]
    assert expected["rounds"][1]["capped_by"] == ["stay_calm"]
    assert expected["agreement"]["alpha"] is not None

    fac = people("facilitator", size={"width": 1366, "height": 900})
    page = fac.page

    # -- the console: the lock button names its action, the line its state --------
    page.goto(f"/host/{code}#key={room['facilitator_token']}")
    expect(page.get_by_test_id("room-code")).to_have_text(code)
    lock = page.get_by_test_id("lock")
    expect(lock).to_contain_text("Lock room")
    expect(page.get_by_test_id("lock-state")).to_contain_text("Open: anyone with the code can join.")
    lock.click()
    expect(lock).to_contain_text("Unlock room")
    expect(page.get_by_test_id("lock-state")).to_contain_text("Locked: nobody new can join.")
    lock.click()
    expect(lock).to_contain_text("Lock room")

    # -- the debrief: round 2 (the latest) first -------------------------------------
    page.get_by_test_id("open-debrief").click()
    expect(page.get_by_test_id("debrief")).to_be_visible()
    assert "view=debrief" in page.url
    # which deck, and which version of it, the room played
    expect(page.get_by_test_id("debrief-deck")).to_contain_text("· version 1")
    expect(page.get_by_test_id("debrief-tab-round-2")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("round-debrief")).to_have_attribute("data-round", "2")

    # keyboard: arrow keys move between the tabs
    page.get_by_test_id("debrief-tab-round-2").focus()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_test_id("debrief-tab-round-1")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("debrief-tab-round-1")).to_be_focused()

    # round 1: the timeline chart rendered on its canvas
    r1 = page.get_by_test_id("round-debrief")
    expect(r1).to_have_attribute("data-round", "1")
    expect(r1).to_contain_text(CARDS[ROUND_CARDS[0]]["title"])
    canvas = r1.locator("[data-testid=timeline] canvas")
    expect(canvas).to_have_attribute("data-rendered", "true")
    box = canvas.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 250
    painted = canvas.evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
    )
    assert painted > 5000, "the timeline canvas is blank"
    # the same events as a table: marks, anger changes and the time-out with its reason
    r1.locator(".timeline-table summary").click()
    expect(r1.locator(".timeline-table")).to_contain_text("Even pauze – te snel")
    expect(r1.locator(".timeline-table")).to_contain_text("liet haar uitpraten")
    r1.locator(".timeline-table summary").click()

    # the per-step table: the disagreement flagged in words, on its row only
    table = r1.get_by_test_id("step-table")
    row = table.locator(f'tr[data-step="{DISAGREE}"]')
    expect(row).to_contain_text("Observers disagree (0 to 3)")
    expect(row).to_have_class(re.compile(r"\brow-disagree\b"))
    expect(table.get_by_test_id("disagreement")).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_count(len(STEPS))
    expect(table.locator('tr[data-step="follow_up"]')).to_contain_text("1")  # one n/a
    expect(r1.get_by_test_id("global-ratings")).to_contain_text("Zoë: 4")
    expect(r1.get_by_test_id("global-ratings")).to_contain_text("Daniël: 2")

    # the conversation guide: four stages; the disagreement first in the analysis,
    # with questions made from the deck's look-fors
    guide = r1.get_by_test_id("guide")
    for stage in ("reactions", "what-happened", "analysis", "take-aways"):
        expect(guide.get_by_test_id(f"guide-{stage}")).to_be_visible()
    expect(guide.get_by_test_id("guide-reactions")).to_contain_text("Start with the customer, Bob: did you feel heard?")
    expect(guide.get_by_test_id("guide-reactions")).to_contain_text("Then the agent, Ann")
    expect(guide.get_by_test_id("guide-what-happened")).to_contain_text("Daniël called a time-out")
    first_focus = guide.locator(".focus-step").first
    expect(first_focus).to_have_attribute("data-step", DISAGREE)
    expect(first_focus).to_contain_text("Daniël gave 0 · not done and Zoë gave 3 · skilled")
    look_for = STEPS[DISAGREE]["look_for"][0]
    expect(first_focus.get_by_test_id("look-for-prompt").first).to_have_text(f"When did you see “{look_for}”?")
    expect(guide.get_by_test_id("guide-take-aways")).to_contain_text("Ann: one thing you keep doing")
    fac.shot("debrief-round-1")
    r1.get_by_test_id("timeline").screenshot(path=str(people.shots / f"{people.prefix}-timeline-round-1.png"))

    # reflections are folded away (the players were promised privacy)
    details = r1.get_by_test_id("reflections-details")
    expect(details.locator(".reflection-card")).to_have_count(2)
    expect(details.locator(".reflection-card").first).not_to_be_visible()
    details.locator("summary").click()
    expect(details.locator(".reflection-card").first).to_contain_text("Bob · Customer")
    expect(details).to_contain_text("Ze liet me uitpraten")

    # round 2: the critical step at the bottom caps the result, and it says why
    page.get_by_test_id("debrief-tab-round-2").click()
    r2 = page.get_by_test_id("round-debrief")
    expect(r2).to_have_attribute("data-round", "2")
    expect(r2.locator("[data-testid=timeline] canvas")).to_have_attribute("data-rendered", "true")
    expect(r2.get_by_test_id("capped-note")).to_contain_text("The result is capped at 1")
    expect(r2.get_by_test_id("capped-note")).to_contain_text(STEPS["stay_calm"]["label"])
    expect(r2.get_by_test_id("overall")).to_contain_text("capped")
    expect(r2.get_by_test_id("disagreement")).to_have_count(0)
    expect(r2.locator(".focus-step").first).to_have_attribute("data-step", "stay_calm")
    # a step nobody scored is its own group in the guide, not among the steps that "scored well"
    unscored = r2.get_by_test_id("guide-unscored")
    expect(unscored).to_contain_text("Nobody scored this step")
    expect(unscored.locator('[data-step="follow_up"]')).to_have_text(STEPS["follow_up"]["label"])
    expect(r2.locator('.other-steps [data-step="follow_up"]')).to_have_count(0)
    expect(r2.locator('.focus-step[data-step="follow_up"]')).to_have_count(0)
    fac.shot("debrief-round-2")

    # the whole workshop: agreement and each participant
    page.get_by_test_id("debrief-tab-room").click()
    ws = page.get_by_test_id("workshop-debrief")
    alpha = expected["agreement"]["alpha"]
    expect(ws.get_by_test_id("agreement")).to_contain_text(f"α = {alpha:.2f}")
    expect(ws.get_by_test_id("agreement")).to_contain_text("agreement")
    agents = ws.get_by_test_id("agents-table")
    expect(agents.locator("thead th")).to_have_count(3)  # step + Ann (round 1) + Bob (round 2)
    expect(agents.locator("thead")).to_contain_text("Ann")
    expect(agents.locator("thead")).to_contain_text("Bob")
    expect(agents.locator("tr.total-row")).to_contain_text("capped")
    everyone = ws.get_by_test_id("people-table")
    expect(everyone.locator("tbody tr")).to_have_count(4)
    zoe = next(p for p in expected["participants"] if p["name"] == "Zoë")
    expect(everyone.locator('tr[data-person="Zoë"] td').nth(2)).to_have_text(str(zoe["marks_given"]))
    expect(everyone.locator('tr[data-person="Ann"]')).to_contain_text("Round 1")
    fac.shot("debrief-workshop")

    # the same in Dutch
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_test_id("view-debrief")).to_have_text("Nabespreking")
    expect(ws.get_by_test_id("agreement")).to_contain_text("Zijn de observatoren het eens?")
    page.get_by_test_id("debrief-tab-round-1").click()
    expect(page.get_by_test_id("guide-reactions")).to_contain_text("Begin bij de klant, Bob: voelde je je gehoord?")
    expect(page.get_by_test_id("step-table").locator(f'tr[data-step="{DISAGREE}"]')).to_contain_text("Observatoren oneens (0 tot 3)")
    expect(page.locator("[data-testid=timeline] canvas")).to_have_attribute("data-rendered", "true")
    fac.shot("debrief-round-1-nl")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("view-debrief")).to_have_text("Debrief")

    # -- exports ---------------------------------------------------------------------
    with page.expect_download() as dl_info:
        page.get_by_test_id("export-json").click()
    download = dl_info.value
    assert download.suggested_filename == f"calmroom-{code}.json"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith('{\n  "')  # pretty-printed
    assert json.loads(text) == results_of(server, room)

    with page.expect_download() as dl_info:
        page.get_by_test_id("export-csv").click()
    raw = Path(dl_info.value.path()).read_bytes()
    assert dl_info.value.suggested_filename == f"calmroom-{code}.csv"
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes spreadsheets read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0].keys()) == CSV_COLUMNS
    marks = sum(len(r["marks"]) for r in expected["rounds"])
    scores = sum(len(r["scores"]) for r in expected["rounds"])
    assert sum(r["what"] == "live mark" for r in rows) == marks
    assert sum(r["what"] == "final score" for r in rows) == scores
    assert {r["who"] for r in rows} >= {"Zoë", "Daniël", "facilitator"}
    assert any(r["text"] == "liet haar uitpraten, geen ‘ja, maar’" for r in rows)
    assert any(r["score"] == "n/a" for r in rows)
    assert all(re.fullmatch(r"\d+:\d\d", r["time"]) for r in rows if r["what"] == "live mark")

    with page.expect_download() as dl_info:
        page.get_by_test_id("export-csv-semicolon").click()
    semi = Path(dl_info.value.path()).read_bytes().decode("utf-8-sig")
    assert semi.splitlines()[0] == ";".join(CSV_COLUMNS)
    assert len(list(csv.reader(io.StringIO(semi, newline=""), delimiter=";"))) == len(rows) + 1
    fac.shot("debrief-exports", full=False)

    # -- the printable report ----------------------------------------------------------
    expect(page.get_by_test_id("export-report")).to_have_attribute("href", f"/report/{code}")
    report = people("report", size={"width": 1100, "height": 1200})
    # another browser: the key comes in the link's fragment and leaves the address bar
    report.page.goto(f"/report/{code}#key={room['facilitator_token']}")
    rp = report.page
    expect(rp.get_by_test_id("report")).to_have_attribute("data-ready", "true")
    assert "key=" not in rp.url
    expect(rp.get_by_test_id("report-round")).to_have_count(2)
    expect(rp.get_by_test_id("report-deck-version")).to_have_text("version 1")
    expect(rp.locator("[data-testid=report-round] canvas[data-rendered=true]")).to_have_count(2)
    expect(rp.get_by_test_id("report-cover")).to_contain_text(TITLE)
    report.shot("report-screen")
    rp.emulate_media(media="print")
    report.shot("report-print-media")

    pdf_path = tmp_path / f"calmroom-{code}.pdf"
    rp.pdf(path=str(pdf_path), format="A4", print_background=True)
    reader = PdfReader(str(pdf_path))
    texts = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    assert len(reader.pages) == 1 + len(ROUND_CARDS) + 1, [t[:80] for t in texts]
    for p in reader.pages:  # A4: 595 × 842 points
        assert abs(float(p.mediabox.width) - 595.3) < 2 and abs(float(p.mediabox.height) - 841.9) < 2
    assert TITLE in texts[0] and code in texts[0]
    assert "Observer" in texts[0] or "observers" in texts[0]
    for i, card in enumerate(ROUND_CARDS, start=1):
        title = CARDS[card]["title"]
        assert title in texts[i], (i, texts[i][:300])
        assert f"Round {i}" in texts[i]
        for j, other in enumerate(ROUND_CARDS, start=1):
            if j != i:
                assert CARDS[other]["title"] not in texts[i]
    # what observers wrote reaches paper, with who wrote it; the flags column says what it holds
    assert "What observers wrote" in texts[1] and "Zoë" in texts[1], texts[1]
    assert "liet haar uitpraten" in texts[1] and "te lang" in texts[1], texts[1]
    assert "Flags" in texts[1]
    assert "Participants" in texts[-1] and "Each agent, step by step" in texts[-1]
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "debrief-report.pdf").write_bytes(pdf_path.read_bytes())
    # each printed page as a picture (no PDF rasteriser here): the report in
    # print media, every sheet laid out at A4 size with the print margins
    rp.set_viewport_size({"width": 794, "height": 1123})
    # a constructed style sheet: the server's CSP refuses an inline <style> tag
    rp.evaluate(
        "css => { const s = new CSSStyleSheet(); s.replaceSync(css);"
        " document.adoptedStyleSheets = [...document.adoptedStyleSheets, s]; }",
        ".report-sheet{box-sizing:border-box;width:210mm!important;min-height:297mm;"
        "padding:14mm 14mm 16mm!important;border-bottom:2px dashed #888}",
    )
    sheets = rp.locator(".report-sheet")
    assert sheets.count() == len(reader.pages)
    for i in range(sheets.count()):
        assert sheets.nth(i).bounding_box()["height"] <= 1123 + 2, f"sheet {i + 1} is longer than an A4 page"
        sheets.nth(i).screenshot(path=str(people.shots / f"{people.prefix}-print-page-{i + 1}.png"))
    rp.emulate_media(media="screen")

    # -- delete the room and everything in it ----------------------------------------------
    delete = page.get_by_test_id("delete-room")
    delete.scroll_into_view_if_needed()
    delete.click()
    dialog = page.get_by_test_id("delete-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"Delete room {code} and all its results?")
    confirm = dialog.get_by_test_id("delete-confirm")
    expect(confirm).to_be_disabled()
    dialog.get_by_test_id("delete-code").fill("ABCDEF")
    expect(confirm).to_be_disabled()
    fac.shot("delete-dialog", full=False)
    # Escape closes it; nothing happened
    page.keyboard.press("Escape")
    expect(dialog).not_to_be_visible()
    assert requests.get(f"{server.url}/api/rooms/{code}", timeout=10).status_code == 200
    delete.click()
    dialog.get_by_test_id("delete-code").fill(code.lower())
    expect(confirm).to_be_enabled()
    confirm.click()
    expect(page).to_have_url(re.compile(r"/host$"))
    expect(page.get_by_test_id("deleted-banner")).to_contain_text(f"Room {code} and all its results were deleted.")
    expect(page.locator(f'[data-testid=room-card][data-code="{code}"]')).to_have_count(0)
    fac.shot("after-delete")
    r = requests.get(f"{server.url}/api/rooms/{code}", timeout=10)
    assert r.status_code == 404, r.text
    r = requests.get(
        f"{server.url}/api/rooms/{code}/results",
        headers={"Authorization": f"Bearer {room['facilitator_token']}"},
        timeout=10,
    )
    assert r.status_code == 404
