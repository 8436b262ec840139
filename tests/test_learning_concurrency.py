"""People sitting one exam at the same moment, on real connections (issue 20, the benchmark's
guarantees): one person's hand-in never holds up another's saves — an attempt's lock is the
attempt's row, never the exam's (hand-ins still take turns at the audit chain, briefly, at their
very end) — and two devices of one person saving at once lose no answer."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from modules.learning import assignments, attempts, exams
from modules.learning.models import Attempt, AttemptItem
from tenants.context import tenant_context
from tests.factories import build_province
from tests.learning_world import build


def _in_thread(fn):
    """Run fn on its own connection; returns (thread, results list)."""
    out = []

    def run():
        try:
            out.append(fn())
        except Exception as e:  # reported to the test, which asserts on it
            out.append(e)
        finally:
            connection.close()

    th = threading.Thread(target=run)
    th.start()
    return th, out


@pytest.mark.django_db(transaction=True)
def test_one_hand_in_never_holds_up_another_and_two_devices_lose_nothing():
    # given: a fixed exam of the four objective single/true-false questions, three nurses sitting it
    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
        objective = [q for q in w.bank if q.kind in ("single", "true_false")]
        exam = exams.create_exam(w.user("admin"), title="并发考试", mode="fixed",
                                 questions=[{"question": q.pk, "points": 5} for q in objective])
        names = ("赵敏", "钱进", "孙立")
        assignments.assign(w.user("admin"), exam.pk, {"user_ids": [w.user(n).pk for n in names]},
                           timezone.now() + dt.timedelta(days=1))
        sitting = {n: attempts.start_attempt(w.user(n), exam.pk) for n in names}
        paper = {n: list(AttemptItem.objects.filter(attempt=a).select_related("question").order_by("position"))
                 for n, a in sitting.items()}
    holding, release = threading.Event(), threading.Event()

    def slow_hand_in():  # 赵敏 hands in; her transaction stays open until the test lets it go
        with tenant_context(p.tenant_a), transaction.atomic():
            attempts.submit(w.user("赵敏"), sitting["赵敏"].pk)
            holding.set()
            release.wait(30)
        return "submitted"

    def quick(action):  # another nurse, refusing to wait for a lock held by someone else
        def run():
            with tenant_context(p.tenant_a), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                return action()
        return run

    # when: 钱进 and 孙立 save, and the exam's row is asked for, while 赵敏's hand-in is not yet committed
    slow, slow_out = _in_thread(slow_hand_in)
    assert holding.wait(30)
    try:
        q_item, s_item = paper["钱进"][0], paper["孙立"][0]
        saves = [_in_thread(quick(lambda: attempts.save_answer(w.user("钱进"), q_item.pk, q_item.question.answer))),
                 _in_thread(quick(lambda: attempts.save_answer(w.user("孙立"), s_item.pk, s_item.question.answer)))]
        for th, _out in saves:
            th.join(30)
        from modules.learning.models import Exam

        exam_row, exam_out = _in_thread(quick(lambda: Exam.objects.select_for_update(nowait=True).get(pk=exam.pk)))
        exam_row.join(30)
    finally:
        release.set()
        slow.join(30)

    # then: nobody waited on 赵敏 (a lock timeout would be the error here), and both hand-ins count
    assert [type(out[0]).__name__ for _th, out in saves] == ["AttemptItem", "AttemptItem"]
    assert type(exam_out[0]).__name__ == "Exam", exam_out  # not locked by 赵敏's hand-in
    assert slow_out == ["submitted"]
    with tenant_context(p.tenant_a):
        attempts.submit(w.user("钱进"), sitting["钱进"].pk)
        done = dict(Attempt.objects.filter(exam=exam).values_list("user_id", "status"))
        assert done[w.user("赵敏").pk] == done[w.user("钱进").pk] == "marked"
        assert Attempt.objects.get(pk=sitting["钱进"].pk).score == 5

    # when: 孙立's phone and tablet save alternate questions at the same moment
    barrier = threading.Barrier(2)
    rest = paper["孙立"]

    def device(items):
        def run():
            with tenant_context(p.tenant_a):
                barrier.wait(10)
                for it in items:
                    attempts.save_answer(w.user("孙立"), it.pk, it.question.answer)
            return len(items)
        return run

    devices = [_in_thread(device(rest[0::2])), _in_thread(device(rest[1::2]))]
    for th, _out in devices:
        th.join(30)
    assert sorted(out[0] for _th, out in devices) == sorted([len(rest[0::2]), len(rest[1::2])])

    # then: every answer is kept, and marking gives full marks
    with tenant_context(p.tenant_a):
        kept = dict(AttemptItem.objects.filter(attempt=sitting["孙立"]).values_list("pk", "answer"))
        assert kept == {it.pk: it.question.answer for it in rest}
        assert attempts.submit(w.user("孙立"), sitting["孙立"].pk).score == 5 * len(rest)
