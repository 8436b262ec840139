"""Events are announced after commit (realtime/events.py): every event of a committed
transaction reaches its subscribers, in the order announced; nothing of a rolled-back savepoint
or transaction does (the events of one transaction are merged into one send, which must keep
those guarantees)."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.db import connection, transaction

from jianlian.realtime import events


def _received(writes, group: str) -> list[dict]:
    """What a subscriber of `group` hears while `writes` runs in another thread."""

    def run():
        try:
            writes()
        finally:
            connection.close()

    async def scenario():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        await sync_to_async(run, thread_sensitive=False)()
        got = []
        while True:
            try:
                got.append(await asyncio.wait_for(layer.receive(channel), 0.5))
            except asyncio.TimeoutError:
                return got

    return async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_committed_events_arrive_in_order_and_rolled_back_ones_never():
    group = events.user_group(987654, "public")

    def writes():
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish("demo.event", {"n": "lost with the transaction"}, groups=[group])
            raise RuntimeError
        with transaction.atomic():
            events.publish("demo.event", {"n": 1}, groups=[group])
            with pytest.raises(RuntimeError), transaction.atomic():
                events.publish("demo.event", {"n": "lost with the savepoint"}, groups=[group])
                raise RuntimeError
            events.publish("demo.event", {"n": 2}, groups=[group])
            with transaction.atomic():
                events.publish("demo.event", {"n": 3}, groups=[group])
            transaction.on_commit(lambda: None)  # someone else's callback in between
            events.publish("demo.event", {"n": 4}, groups=[group])
        events.publish("demo.event", {"n": 5}, groups=[group])  # outside a transaction: at once

    got = _received(writes, group)
    assert [m["payload"]["n"] for m in got] == [1, 2, 3, 4, 5]
