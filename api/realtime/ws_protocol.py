"""uvicorn's websocket protocol with closes that always end, and 1001 when the server stops.

uvicorn sends a close only once the socket is writable, so a close to a client that stopped
reading waits until it reads again; and a closing transport waits for its unsent buffer without
limit, so neither a slow consumer's close nor a server shutdown ever finishes while such a client
stays connected. Here the close frame is queued at once and the connection is aborted, with what
is still unsent, if the client has not completed the close within `CLOSE_TIMEOUT` seconds. On
shutdown sockets are closed with 1001 (going away: resume on another replica with `since`)
instead of 1012. `areagraph serve` runs uvicorn with it
(`--ws areagraph.api.realtime.ws_protocol:BoundedCloseProtocol`).
"""

from __future__ import annotations

import contextlib
import socket
import struct

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

CLOSE_TIMEOUT = 5.0
GOING_AWAY = 1001


class BoundedCloseProtocol(WebSocketsSansIOProtocol):
    async def send(self, message: ASGISendEvent) -> None:
        if message["type"] == "websocket.close" and self._open():
            self._close(message.get("code", 1000), message.get("reason") or "")
            return
        await super().send(message)

    def shutdown(self) -> None:
        if self._open():
            self.stop_keepalive()
            self._close(GOING_AWAY, "Server shutting down; resume with since")
        elif self.close_sent and self.close_timer is not None:
            self.transport.close()  # its close is under way; the abort timer still bounds it
        else:
            super().shutdown()

    def _open(self) -> bool:
        return (self.handshake_complete and self.initial_response is None
                and not self.close_sent and not self.disconnected
                and not self.transport.is_closing())

    def _close(self, code: int, reason: str) -> None:
        self.queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": reason})
        self.conn.send_close(code, reason)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        self.close_timer = self.loop.call_later(CLOSE_TIMEOUT, self._abort)

    def _abort(self) -> None:
        """Drop the connection and what is still unsent. Without a zero linger the kernel
        would keep the unsent bytes and go on offering them to the client that does not read."""
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.transport.abort()
