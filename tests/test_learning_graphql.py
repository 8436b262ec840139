"""The learning centre over GraphQL (issue 20): nobody sees another person's answers or the key
before the exam closes — by the attempt, the exam or node(id:) — a nurse sits an exam from a new
session and continues, the server's time limit, the import with bad rows, live completion."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

from django.utils import timezone
from graphql_relay import to_global_id

from modules.learning import assignments, exams
from modules.learning.models import Attempt
from tests.test_learning_exams import _world, w  # noqa: F401 (fixtures)
from tests.utils import gql

START = """mutation($exam: ID!) { startLearningAttempt(input: {exam: $exam}) { errors { field code message }
  attempt { id status secondsLeft maxScore items { id kind stem options { value label } blanks points answer key score } } } }"""
SAVE = """mutation($item: ID!, $answer: JSONString) { saveLearningAnswer(input: {item: $item, answer: $answer}) {
  secondsLeft errors { field code message } item { id answer } } }"""
SUBMIT = """mutation($a: ID!) { submitLearningAttempt(input: {attempt: $a}) { errors { code }
  attempt { status score maxScore passed timedOut items { kind answer key score } } } }"""
ATTEMPT = """query($id: ID!) { learningAttempt(id: $id) { status timedOut secondsLeft answered
  items { id kind answer key score explanation } } }"""
NODE = """query($id: ID!) { node(id: $id) { id ... on LearningAttempt { status items { answer key } }
  ... on LearningQuestion { answer } } }"""
MARKING = """{ learningMarkingQueue(first: 10) { totalCount edges { node { id kind stem answer key examTitle } } } }"""


def call(client, w, who, query, variables=None):
    status, body = gql(client, query, variables, user=w.user(who), HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return body


def exam_for(w, *names, **kw):
    exam = exams.create_exam(w.user("admin"), title="院感考核", mode="fixed", pass_percent=50,
                             questions=[{"question": w.bank[i].pk, "points": 10} for i in (0, 2, 3, 4, 5)], **kw)
    assignments.assign(w.user("admin"), exam.pk, {"user_ids": [w.user(n).pk for n in names]}, timezone.now() + dt.timedelta(days=1))
    return exam, to_global_id("LearningExam", exam.pk)


def test_a_nurse_continues_from_a_new_session_and_sees_her_score_not_the_key(client, w):
    _exam, exam_id = exam_for(w, "赵敏", "钱进")
    started = call(client, w, "赵敏", START, {"exam": exam_id})["data"]["startLearningAttempt"]
    assert started["errors"] == []
    attempt = started["attempt"]
    assert attempt["status"] == "IN_PROGRESS" and 0 < attempt["secondsLeft"] <= 1800 and attempt["maxScore"] == 50
    assert all(i["key"] is None and i["score"] is None for i in attempt["items"])
    single = next(i for i in attempt["items"] if i["kind"] == "SINGLE")
    right = next(o["value"] for o in single["options"] if o["label"] == "七步")
    saved = call(client, w, "赵敏", SAVE, {"item": single["id"], "answer": json.dumps(right)})["data"]["saveLearningAnswer"]
    assert saved["errors"] == [] and json.loads(saved["item"]["answer"]) == right

    # a new session (the phone dropped): the same attempt, the same order, the answer kept
    again = call(client, w, "赵敏", START, {"exam": exam_id})["data"]["startLearningAttempt"]["attempt"]
    assert again["id"] == attempt["id"]
    assert [(i["id"], i["options"]) for i in again["items"]] == [(i["id"], i["options"]) for i in attempt["items"]]
    assert json.loads(next(i for i in again["items"] if i["id"] == single["id"])["answer"]) == right

    # another nurse sees nothing of it, by any way in
    assert call(client, w, "钱进", ATTEMPT, {"id": attempt["id"]})["data"]["learningAttempt"] is None
    assert call(client, w, "钱进", NODE, {"id": attempt["id"]})["data"]["node"] is None
    assert call(client, w, "钱进", SAVE, {"item": single["id"], "answer": "0"})["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    missing = to_global_id("LearningAttemptItem", 987654321)  # answered alike: whether it exists is not said
    assert call(client, w, "钱进", SAVE, {"item": missing, "answer": "0"})["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    question = to_global_id("LearningQuestion", w.bank[0].pk)
    assert call(client, w, "赵敏", NODE, {"id": question})["data"]["node"] is None
    # the admin sees the attempt's status, not its answers, while the exam is open
    seen = call(client, w, "admin", NODE, {"id": attempt["id"]})["data"]["node"]
    assert seen["status"] == "IN_PROGRESS" and seen["items"] == []

    done = call(client, w, "赵敏", SUBMIT, {"a": attempt["id"]})["data"]["submitLearningAttempt"]["attempt"]
    assert done["status"] == "MARKING" and done["score"] is None  # the short answer waits for a marker
    assert all(i["key"] is None and i["score"] is None for i in done["items"])  # not before the exam closes

    queue = call(client, w, "阅卷老师", MARKING)["data"]["learningMarkingQueue"]
    [short] = [e["node"] for e in queue["edges"]]
    assert queue["totalCount"] == 1 and short["kind"] == "SHORT" and json.loads(short["key"]) == "挤、冲、消、报"
    assert call(client, w, "钱进", MARKING)["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    marked = call(client, w, "阅卷老师", """mutation($i: ID!) { markLearningAnswer(input: {item: $i, score: 8, comment: "好"}) {
      errors { code } item { score } } }""", {"i": short["id"]})["data"]["markLearningAnswer"]
    assert marked == {"errors": [], "item": {"score": 8.0}}
    mine = call(client, w, "赵敏", ATTEMPT, {"id": attempt["id"]})["data"]["learningAttempt"]
    assert mine["status"] == "MARKED" and all(i["key"] is None for i in mine["items"])
    result = call(client, w, "赵敏", """query($e: ID!) { learningExam(id: $e) { isClosed attemptsLeft myAttempts { score passed } } }""",
                  {"e": exam_id})["data"]["learningExam"]
    assert result == {"isClosed": False, "attemptsLeft": 0, "myAttempts": [{"score": 18.0, "passed": False}]}

    # once the exam closes she sees the key and her marks
    assert call(client, w, "admin", """mutation($e: ID!) { closeLearningExam(input: {exam: $e}) { errors { code } } }""",
                {"e": exam_id})["data"]["closeLearningExam"]["errors"] == []
    closed = call(client, w, "赵敏", ATTEMPT, {"id": attempt["id"]})["data"]["learningAttempt"]
    assert all(i["key"] is not None for i in closed["items"])
    assert {i["kind"]: i["score"] for i in closed["items"]}["SINGLE"] == 10.0
    assert call(client, w, "钱进", ATTEMPT, {"id": attempt["id"]})["data"]["learningAttempt"] is None


def test_reading_an_attempt_after_its_time_ends_it(client, w):
    _exam, exam_id = exam_for(w, "孙立")
    attempt = call(client, w, "孙立", START, {"exam": exam_id})["data"]["startLearningAttempt"]["attempt"]
    Attempt.objects.all().update(deadline=timezone.now() - dt.timedelta(seconds=1))
    read = call(client, w, "孙立", ATTEMPT, {"id": attempt["id"]})["data"]["learningAttempt"]
    assert read["status"] == "MARKING" and read["timedOut"] and read["secondsLeft"] == 0
    item = attempt["items"][0]["id"]
    late = call(client, w, "孙立", SAVE, {"item": item, "answer": "0"})["data"]["saveLearningAnswer"]
    assert [e["code"] for e in late["errors"]] == ["ATTEMPT_ENDED"]


def test_bad_answers_and_exams_answer_with_clear_codes(client, w):
    _exam, exam_id = exam_for(w, "赵敏")
    attempt = call(client, w, "赵敏", START, {"exam": exam_id})["data"]["startLearningAttempt"]["attempt"]
    tf = next(i for i in attempt["items"] if i["kind"] == "TRUE_FALSE")
    bad = call(client, w, "赵敏", SAVE, {"item": tf["id"], "answer": '"对"'})["data"]["saveLearningAnswer"]
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [("answer", "INVALID_ANSWER")] and "题型" in bad["errors"][0]["message"]
    made = call(client, w, "admin", """mutation($r: JSONString) { createLearningExam(input: {title: "急救", mode: RANDOM,
      timeLimitMinutes: 20, rules: $r}) { errors { field code message } exam { id questionCount } } }""",
                {"r": json.dumps([{"topic": "急救", "difficulty": "hard", "count": 3}])})["data"]["createLearningExam"]
    assert [(e["field"], e["code"]) for e in made["errors"]] == [("rules", "NOT_ENOUGH_QUESTIONS")]
    made = call(client, w, "admin", """mutation($r: JSONString) { createLearningExam(input: {title: "急救", mode: RANDOM,
      timeLimitMinutes: 20, rules: $r}) { errors { code } exam { id questionCount } } }""",
                {"r": json.dumps([{"topic": "急救", "count": 3}])})["data"]["createLearningExam"]
    assert made["errors"] == [] and made["exam"]["questionCount"] == 3
    denied = call(client, w, "赵敏", """mutation { createLearningExam(input: {title: "x", mode: FIXED, timeLimitMinutes: 5}) { errors { code } } }""")
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def _workbook(rows) -> str:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "题目"
    ws.append(["题型*", "题干*", "选项", "答案*", "知识点*", "难度", "解析"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return base64.b64encode(out.getvalue()).decode()


IMPORT = """mutation($f: String!, $m: ImportMode!, $d: Boolean) { importLearningQuestions(input: {file: $f, mode: $m, dryRun: $d}) {
  errors { field code } report { applied rows created rowErrors { row column columnLetter code message } } } }"""


def test_import_with_bad_rows(client, w):
    before = w.bank[0].__class__.objects.count()
    f = _workbook([
        ["单选", "消毒首选？", "A. 酒精\nB. 清水", "A", "院感", "易", ""],
        ["多选", "标准预防包括？", "A. 手卫生|B. 口罩|C. 不戴手套", "AB", "院感", "中", ""],
        ["判断", "针头可以回套。", "", "错", "院感", "", ""],
        ["填空", "洗手至少__秒。", "", "15|十五", "院感", "易", ""],
        ["简答", "简述标准预防。", "", "手卫生、防护用品", "院感", "难", ""],
        ["单选", "坏答案", "A. 是\nB. 否", "E", "院感", "易", ""],
        ["问答", "坏题型", "", "x", "院感", "易", ""],
        ["判断", "坏难度", "", "对", "院感", "很难", ""],
        ["判断", "没有知识点", "", "对", "", "易", ""],
    ])
    preview = call(client, w, "admin", IMPORT, {"f": f, "m": "ALL_OR_NOTHING", "d": True})["data"]["importLearningQuestions"]
    rows = [(e["row"], e["column"], e["columnLetter"], e["code"]) for e in preview["report"]["rowErrors"]]
    assert rows == [(7, "答案", "D", "INVALID_QUESTION"), (8, "题型", "A", "INVALID_QUESTION"),
                    (9, "难度", "F", "INVALID_QUESTION"), (10, "知识点", "E", "INVALID_QUESTION")]
    assert preview["report"]["rowErrors"][0]["message"].startswith("第7行「答案」列：")
    strict = call(client, w, "admin", IMPORT, {"f": f, "m": "ALL_OR_NOTHING"})["data"]["importLearningQuestions"]
    assert [e["code"] for e in strict["errors"]] == ["IMPORT_HAS_ERRORS"] and not strict["report"]["applied"]
    assert w.bank[0].__class__.objects.count() == before
    lenient = call(client, w, "admin", IMPORT, {"f": f, "m": "VALID_ONLY"})["data"]["importLearningQuestions"]
    assert lenient["errors"] == [] and lenient["report"]["created"] == 5
    Q = w.bank[0].__class__
    assert Q.objects.get(stem="标准预防包括？").answer == [0, 1] and Q.objects.get(stem="洗手至少__秒。").answer == [["15", "十五"]]
    junk = call(client, w, "admin", IMPORT, {"f": base64.b64encode(b"not excel").decode(), "m": "VALID_ONLY"})
    assert [e["code"] for e in junk["data"]["importLearningQuestions"]["errors"]] == ["INVALID_FILE"]


def test_completion_by_department_over_graphql(client, w):
    exam, exam_id = exam_for(w, "赵敏")
    made = call(client, w, "admin", """mutation($e: ID!, $d: [ID!], $t: DateTime!) { assignLearningExam(input: {exam: $e,
      audience: {departmentIds: $d}, deadline: $t}) { errors { code } assignment { id } } }""",
                {"e": exam_id, "d": [to_global_id("Department", w.depts["内科"].pk)],
                 "t": (timezone.now() + dt.timedelta(days=2)).isoformat()})["data"]["assignLearningExam"]
    assert made["errors"] == []
    q = """query($id: ID!) { learningAssignment(id: $id) { completion { departmentName total done rate } myCompletedAt } }"""
    assert call(client, w, "admin", q, {"id": made["assignment"]["id"]})["data"]["learningAssignment"]["completion"] == [
        {"departmentName": "内科", "total": 2, "done": 0, "rate": 0.0}]
    attempt = call(client, w, "钱进", START, {"exam": exam_id})["data"]["startLearningAttempt"]["attempt"]
    call(client, w, "钱进", SUBMIT, {"a": attempt["id"]})
    assert call(client, w, "admin", q, {"id": made["assignment"]["id"]})["data"]["learningAssignment"]["completion"] == [
        {"departmentName": "内科", "total": 2, "done": 1, "rate": 0.5}]
    nurse = call(client, w, "钱进", q, {"id": made["assignment"]["id"]})["data"]["learningAssignment"]
    assert nurse["completion"] == [] and nurse["myCompletedAt"]
    mine = call(client, w, "赵敏", "{ myLearningAssignments { exam { title } } }")["data"]["myLearningAssignments"]
    assert [a["exam"]["title"] for a in mine] == ["院感考核", "院感考核"]


def test_an_answer_save_is_the_tenant_look_up_and_two_statements(client, w):
    """The benchmark's hot path (2,000 people × 50 answers): the caller's tenant, membership and
    installed apps in one query, then the item locked with its attempt, and the update."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jianlian.identity.services import issue_token

    # given: 赵敏 sits an exam with a token she signed in with earlier
    _exam, exam_id = exam_for(w, "赵敏")
    attempt = call(client, w, "赵敏", START, {"exam": exam_id})["data"]["startLearningAttempt"]["attempt"]
    single = next(i for i in attempt["items"] if i["kind"] == "SINGLE")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(w.user('赵敏'), 'phone')[1]}", "HTTP_X_TENANT": "tonglu"}
    client.post("/graphql/", data=json.dumps({"query": "{ me { id } }"}), content_type="application/json", **bearer)

    # when: she saves an answer
    with CaptureQueriesContext(connection) as ran:
        response = client.post("/graphql/", data=json.dumps({"query": SAVE, "variables": {"item": single["id"], "answer": "1"}}),
                               content_type="application/json", **bearer)

    # then: it is saved, with the tenant's facts read once and no savepoint of its own
    assert response.json()["data"]["saveLearningAnswer"]["errors"] == []
    statements = [q["sql"].split()[0].upper() for q in ran.captured_queries
                  if not q["sql"].startswith(("SET search_path", "SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert statements == ["SELECT", "SELECT", "UPDATE"], [q["sql"][:120] for q in ran.captured_queries]
    assert sum(q["sql"].startswith("SAVEPOINT") for q in ran.captured_queries) == 1  # the request's own transaction
