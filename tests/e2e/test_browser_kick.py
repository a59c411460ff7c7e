"""Removing someone from the console, with and without keeping them out."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from test_browser_screens import host, join, new_room

pytestmark = pytest.mark.browser


def _kick(fac, name: str, ban: bool) -> None:
    row = fac.page.get_by_test_id("participant").filter(has_text=name)
    row.get_by_test_id("kick").click()
    if ban:
        row.get_by_test_id("kick-ban").check()
        expect(row.get_by_test_id("kick-yes")).to_have_text("Remove and keep out")
    fac.shot(f"kick-{name.lower()}-asked")
    row.get_by_test_id("kick-yes").click()
    expect(fac.page.get_by_test_id("participant").filter(has_text=name)).to_have_count(0)


def test_kick_and_keep_out(people, server):
    room = new_room(server, title="Kick check")
    fac = people("facilitator")
    host(fac, room)
    ann, bob = people("ann", phone=True), people("bob", phone=True)
    join(ann, room, "Ann")
    join(bob, room, "Bob")

    # a plain kick: Ann may come back under her name
    _kick(fac, "Ann", ban=False)
    expect(ann.page.get_by_role("heading", name="You were removed")).to_be_visible()
    join(ann, room, "Ann")

    # kept out: Bob's phone says so, also after a reload, and his name is refused from a new browser
    _kick(fac, "Bob", ban=True)
    expect(bob.page.locator("main")).to_contain_text("You cannot join it again")
    bob.shot("banned")
    bob.page.reload()
    expect(bob.page.locator("main")).to_contain_text("You cannot join it again")
    expect(bob.page.locator("input[name=name]")).to_have_count(0)
    other = people("bob-laptop")
    other.page.goto(f"/join/{room['code']}")
    other.page.locator("input[name=name]").fill("Bob")
    other.page.locator("form button[type=submit]").click()
    expect(other.page.get_by_role("alert")).to_contain_text("cannot join again")
    other.shot("banned-name-refused")
    people.check()
