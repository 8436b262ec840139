"""An API mutation's audit records are appended when it ends, still in its transaction: the
chain's per-schema lock, which every audited write of the tenant waits for, is then held only
for the commit — not while the mutation reads and serialises its answer (a 50-question paper).
Issue 20: 2,000 people starting and handing in one exam at once queued behind that lock."""

from __future__ import annotations

import threading

from django.db import connection, connections, transaction

from jianlian.audit import service as audit
from jianlian.audit.models import AuditRecord


def _chain_free_for_another_writer() -> bool:
    """Whether another connection could take this schema's audit lock right now."""
    schema = connection.schema_name
    answer = {}

    def other():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute(f'SET search_path = "{schema}"')
                cursor.execute("SELECT pg_try_advisory_lock(hashtext(current_schema() || ':audit'))")
                answer["free"] = cursor.fetchone()[0]
                if answer["free"]:
                    cursor.execute("SELECT pg_advisory_unlock(hashtext(current_schema() || ':audit'))")
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(10)
    return answer["free"]


def test_a_record_holds_the_chain_only_from_the_end_of_the_block(db):
    before = AuditRecord.objects.count()
    with transaction.atomic():
        with audit.written_last():
            audit.record("test.first", object_type="x", object_id="1")
            # the mutation goes on reading and serialising: other writers are not held up
            assert _chain_free_for_another_writer()
        # appended at the end, inside the transaction, in order
        assert list(AuditRecord.objects.order_by("seq").values_list("action", flat=True)[before:]) == ["test.first"]
        assert not _chain_free_for_another_writer()  # held until the commit, as before
    assert audit.verify_chain().ok


def test_a_record_made_in_a_rolled_back_savepoint_is_dropped_with_it(db):
    before = AuditRecord.objects.count()
    with transaction.atomic():
        with audit.written_last():
            try:
                with transaction.atomic():
                    audit.record("test.undone", object_type="x", object_id="1")
                    raise ValueError("the write failed")
            except ValueError:
                pass
            with transaction.atomic():
                audit.record("test.kept", object_type="x", object_id="2")
    assert list(AuditRecord.objects.order_by("seq").values_list("action", flat=True)[before:]) == ["test.kept"]


def test_nothing_is_written_when_the_block_fails(db):
    before = AuditRecord.objects.count()
    try:
        with transaction.atomic(), audit.written_last():
            audit.record("test.failed", object_type="x", object_id="1")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert AuditRecord.objects.count() == before
