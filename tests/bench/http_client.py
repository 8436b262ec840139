"""A light HTTP/1.1 client for benchmarks that send thousands of small requests from one process,
standing for thousands of phones, each with a processor of its own.

httpx spends about 1–2 ms of CPU on each request (its connection pool, headers and response
models), on the same two cores as the server under test: at 100 requests a second that is a
fifth of a core taken from the server, and the client's own queueing inflates every time. Here a
request is one write of prepared bytes on a kept-alive connection and its answer is parsed by
httptools (the C parser uvicorn itself uses). A connection carries one request at a time; `Pool`
keeps the idle ones and opens another when all are busy, up to `size`.
"""

from __future__ import annotations

import asyncio
import json

import httptools


class ConnectionLost(Exception):
    """The server closed a kept-alive connection before answering (send again)."""


class _Connection(asyncio.Protocol):
    def __init__(self):
        self.transport = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future | None = None
        self.body: list[bytes] = []
        self.open = True

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as e:
            self._fail(e)

    def connection_lost(self, exc):
        self.open = False
        self._fail(ConnectionLost(str(exc)))

    def _fail(self, exc):
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc)

    # httptools callbacks
    def on_body(self, body: bytes):
        self.body.append(body)

    def on_message_complete(self):
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((self.parser.get_status_code(), b"".join(self.body)))
        if not self.parser.should_keep_alive():
            self.open = False
            self.transport.close()

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        self.body = []
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return await self.waiter


class Pool:
    def __init__(self, host: str, port: int, size: int):
        self.host, self.port, self.size = host, port, size
        self.idle: list[_Connection] = []
        self.slots = asyncio.Semaphore(size)

    async def post_json(self, path: str, payload: dict, headers: dict[str, str]) -> tuple[int, dict]:
        body = json.dumps(payload).encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        raw = (f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\n{head}\r\n").encode() + body
        async with self.slots:
            conn = None
            while self.idle and conn is None:
                candidate = self.idle.pop()
                conn = candidate if candidate.open else None
            if conn is None:
                _t, conn = await asyncio.get_running_loop().create_connection(_Connection, self.host, self.port)
            status, data = await conn.request(raw)
            if conn.open:
                self.idle.append(conn)
        return status, json.loads(data)

    def close(self):
        for conn in self.idle:
            conn.transport.close()
        self.idle = []
