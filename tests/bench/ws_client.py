"""A light graphql-transport-ws client for the subscriber benchmarks: thousands of them in one
process stand for thousands of browsers, each on its own machine.

A browser notes an event when it arrives, whatever its neighbours do; thousands of clients in one
process instead queue behind each other's frame parsing and JSON decoding (about 50 µs a message
with the `websockets` asyncio client, so 150 ms between the first and the last of 3,000 receipts
of one event, even from an infinitely fast server). So while `deferred` is set, a connection only
notes the arrival time of each chunk of bytes, and reads them (frames, pongs, JSON) afterwards
with `read()`; the latency of a message is measured from its chunk's arrival. Framing and the
handshake are websockets' Sans-I/O protocol; like a browser, it offers per-message-deflate.
"""

from __future__ import annotations

import asyncio
import json
import time

from websockets.client import ClientProtocol
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Opcode
from websockets.http11 import Response
from websockets.typing import Subprotocol
from websockets.uri import parse_uri


class Subscriber(asyncio.Protocol):
    deferred = False  # class-wide: set while measuring

    def __init__(self, uri: str):
        self.ws = ClientProtocol(parse_uri(uri), subprotocols=[Subprotocol("graphql-transport-ws")],
                                 extensions=[ClientPerMessageDeflateFactory()])
        self.transport: asyncio.Transport | None = None
        self.chunks: list[tuple[float, bytes]] = []
        self.messages: asyncio.Queue[tuple[float, dict]] = asyncio.Queue()
        self.opened = asyncio.get_running_loop().create_future()
        self.closed: str | None = None

    @classmethod
    async def connect(cls, host: str, port: int, path: str = "/graphql/") -> "Subscriber":
        loop = asyncio.get_running_loop()
        _transport, sub = await loop.create_connection(lambda: cls(f"ws://{host}:{port}{path}"), host, port)
        await sub.opened
        return sub

    # --- asyncio.Protocol ---------------------------------------------------------------------

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.ws.send_request(self.ws.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        self.chunks.append((time.time(), data))
        if not Subscriber.deferred:
            self.read()

    def connection_lost(self, exc) -> None:
        self.closed = self.closed or f"connection lost ({exc!r}, close {self.ws.close_code} {self.ws.close_reason!r})"
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(self.closed))
        self.messages.put_nowait((time.time(), {"type": "closed", "reason": self.closed}))

    # --- reading ------------------------------------------------------------------------------

    def read(self) -> None:
        """Take in the chunks received so far: answer pings, queue the text messages with their
        arrival time."""
        chunks, self.chunks = self.chunks, []
        for at, data in chunks:
            self.ws.receive_data(data)
            for event in self.ws.events_received():
                if isinstance(event, Response):
                    if self.ws.handshake_exc is not None:
                        self.opened.set_exception(self.ws.handshake_exc)
                    else:
                        self.opened.set_result(None)
                elif event.opcode == Opcode.TEXT:
                    self.messages.put_nowait((at, json.loads(event.data)))
                elif event.opcode == Opcode.CLOSE:
                    self.closed = f"closed by the server: {self.ws.close_code} {self.ws.close_reason!r}"
        self._flush()

    async def receive(self) -> tuple[float, dict]:
        """The next message and when it arrived; raises ConnectionError once the socket closed."""
        at, message = await self.messages.get()
        if message.get("type") == "closed":
            raise ConnectionError(message["reason"])
        return at, message

    # --- writing ------------------------------------------------------------------------------

    def send(self, message: dict) -> None:
        self.ws.send_text(json.dumps(message).encode())
        self._flush()

    def _flush(self) -> None:
        for data in self.ws.data_to_send():
            if data and self.transport is not None and not self.transport.is_closing():
                self.transport.write(data)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
