"""A malformed `since` on a subscription is a coded error on the socket, with no driver text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from areagraph.api.app import create_app
from areagraph.core.settings import Settings
from tests.conftest import dev_token

SUBSCRIBE = """subscription($since: ID) {
  complaintUpdated(areaCode: "83", since: $since) { eventId } }"""


def _subscribe_and_answer(settings: Settings, since: str) -> dict[str, Any]:
    """Subscribe with `since` on a fresh socket; the first message the gateway answers."""
    token = dev_token(settings, ["ministry_admin"], subject="admin")
    with TestClient(create_app(settings)) as client, client.websocket_connect(
            "/graphql", subprotocols=["graphql-transport-ws"]) as socket:
        socket.send_json({"type": "connection_init",
                          "payload": {"Authorization": f"Bearer {token}"}})
        assert socket.receive_json()["type"] == "connection_ack"
        socket.send_text(json.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": SUBSCRIBE, "variables": {"since": since}}}))
        answer: dict[str, Any] = socket.receive_json()
        return answer


@pytest.mark.parametrize("since", ["²", "๑๒", "1" * 30, "9" * 5000, "-1", "2147483648"])
def test_a_bad_since_is_a_coded_error_on_the_socket(settings: Settings, since: str) -> None:
    message = _subscribe_and_answer(settings, since)
    # refused before the stream starts (`error`) or as its first result (`next` with errors)
    assert message["type"] in ("error", "next"), message
    payload = message["payload"]
    [error] = payload if message["type"] == "error" else payload["errors"]
    assert (error["extensions"]["code"], error["extensions"]["argument"]) == (
        "BAD_USER_INPUT", "since")
    assert "SQLite" not in error["message"] and "int" not in error["message"]
    assert len(error["message"]) < 200


def test_a_message_that_is_not_utf8_text_closes_the_socket_with_4400(settings: Settings) -> None:
    """A lone surrogate as a JSON escape cannot be text: graphql-transport-ws's answer to an
    invalid message is to close with 4400, and nothing runs."""
    with pytest.raises(WebSocketDisconnect) as closed:
        _subscribe_and_answer(settings, "x\ud800")
    assert closed.value.code == 4400
