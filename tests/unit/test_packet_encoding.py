"""The packets the server sends (sockets/packets.py): encoded by orjson, and
the same JSON a client gets from the standard library's encoder: Dutch text
as UTF-8, integer keys as strings, an ack's id in front; no binary
attachments are looked for; a client's packet is still read (and refused
when malformed) as before."""
from __future__ import annotations

import json

import pytest
import socketio
from socketio import packet

from calmroom.sockets.packets import Malformed, answer_malformed_packets


@pytest.fixture
def packet_class():
    server = socketio.Server(async_mode="threading")
    answer_malformed_packets(server, lambda: {"ok": False}, lambda sid: None)
    return server.packet_class


def test_a_sent_event_is_the_standard_librarys_json(packet_class):
    data = ["state", {"title": "Klacht over de bezorging", "note": "ge\u00efrriteerd, 'n \u00e9\u00e9n", "counts": {1: 3, 2: 0},
                      "nested": [{"a": None, "b": True, "c": 1.5}], "big": 2**40}]
    encoded = packet_class(packet.EVENT, data=data).encode()
    assert encoded[0] == str(packet.EVENT)
    assert json.loads(encoded[1:]) == json.loads(json.dumps(data))
    assert "ge\u00efrriteerd" in encoded  # UTF-8, not \\u escapes


def test_an_ack_keeps_its_id_and_no_binary_walk_is_made(packet_class):
    ack = packet_class(packet.ACK, id=42, data=[{"ok": True, "mark": {"id": "m1"}}])
    assert ack.packet_type == packet.ACK  # not BINARY_ACK
    assert ack.encode() == '342[{"ok":true,"mark":{"id":"m1"}}]'


def test_a_clients_packet_is_read_as_before(packet_class):
    pkt = packet_class(encoded_packet='27["mark_step",{"id":"m1","step":"listen","rating":2}]')
    assert (pkt.packet_type, pkt.id, pkt.data) == (packet.EVENT, 7, ["mark_step", {"id": "m1", "step": "listen", "rating": 2}])
    with pytest.raises(Malformed):
        packet_class(encoded_packet="2" + "[" * 3000 + "]" * 3000)
