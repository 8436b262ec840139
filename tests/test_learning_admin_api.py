"""The learning managers' screens over GraphQL (issue 20): a course built as a draft stays out of the
catalogue and cannot be assigned until published; editing reorders, adds and removes lessons while
a nurse's progress in a kept lesson survives; a bad lesson names its own field; a question is edited
by hand, and one already answered in an exam keeps its key (QUESTION_IN_USE) but can be retired."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone
from graphql_relay import from_global_id, to_global_id

from modules.learning import assignments, attempts, exams
from tests.test_learning_exams import _world, w  # noqa: F401 (fixtures)
from tests.utils import gql

CREATE = """mutation($input: CreateLearningCourseInput!) { createLearningCourse(input: $input) {
  errors { field code message } course { id isPublished chapters { title lessons { id title kind } } } } }"""
UPDATE = """mutation($input: UpdateLearningCourseInput!) { updateLearningCourse(input: $input) {
  errors { field code message } course { id title credits isPublished departmentName
  chapters { title lessons { id title kind myCompleted } } } } }"""
PUBLISH = """mutation($c: ID!, $p: Boolean!) { publishLearningCourse(input: {course: $c, published: $p}) {
  errors { field code message } course { id isPublished } } }"""
PROGRESS = """mutation($l: ID!) { reportLearningProgress(input: {lesson: $l, position: 0, finished: true}) {
  errors { code } lesson { myCompleted } } }"""
ASSIGN = """mutation($c: ID!, $d: [ID!], $at: DateTime!) { assignLearningCourse(input: {course: $c,
  audience: {departmentIds: $d}, deadline: $at}) { errors { field code message } assignment { id } } }"""
COURSE_QUERY = "query($id: ID!) { learningCourse(id: $id) { chapters { lessons { id myCompleted } } } }"
CATALOGUE = "{ learningCourses(first: 50) { edges { node { id } } } }"
MANAGED = "{ learningManagedCourses(first: 50) { totalCount edges { node { id isPublished } } } }"
EDIT_Q = """mutation($input: UpdateLearningQuestionInput!) { updateLearningQuestion(input: $input) {
  errors { field code message } question { id stem topic difficulty answer isActive } } }"""


def call(client, w, who, query, variables=None):
    status, body = gql(client, query, variables, user=w.user(who), HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return body


def data(body, name):
    assert "errors" not in body, body
    return body["data"][name]


def ids(body, name):
    return {e["node"]["id"] for e in data(body, name)["edges"]}


COURSE = {"title": "标准预防", "category": "院感", "credits": 1.5, "creditKind": "Ⅱ类", "published": False, "chapters": [
    {"title": "第一章", "lessons": [{"title": "概念", "kind": "ARTICLE", "body": "视所有患者的血液体液为有传染性。"},
                                  {"title": "讲解视频", "kind": "VIDEO", "url": "https://v.example/a.mp4", "durationSeconds": 60}]}]}


def lesson_input(ls, **kw):
    return {"id": ls["id"], "title": ls["title"], "kind": ls["kind"], **kw}


def test_a_draft_course_is_edited_reordered_published_and_assigned_and_progress_survives_edits(client, w):
    made = data(call(client, w, "admin", CREATE, {"input": COURSE}), "createLearningCourse")
    assert made["errors"] == [] and made["course"]["isPublished"] is False
    course = made["course"]["id"]
    article, video = made["course"]["chapters"][0]["lessons"]
    # a draft: not in the catalogue, only in the managers' list; it cannot be assigned yet
    assert course not in ids(call(client, w, "赵敏", CATALOGUE), "learningCourses")
    assert course in ids(call(client, w, "admin", MANAGED), "learningManagedCourses")
    assert call(client, w, "赵敏", MANAGED)["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    deadline = (timezone.now() + dt.timedelta(days=3)).isoformat()
    dept = to_global_id("Department", w.depts["内科"].pk)
    refused = data(call(client, w, "admin", ASSIGN, {"c": course, "d": [dept], "at": deadline}), "assignLearningCourse")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("course", "INVALID")] and "发布" in refused["errors"][0]["message"]

    published = data(call(client, w, "admin", PUBLISH, {"c": course, "p": True}), "publishLearningCourse")
    assert published["errors"] == [] and published["course"]["isPublished"] is True
    assert course in ids(call(client, w, "赵敏", CATALOGUE), "learningCourses")
    assert data(call(client, w, "赵敏", PROGRESS, {"l": article["id"]}), "reportLearningProgress")["lesson"]["myCompleted"] is True

    # a bad new lesson names its own field; nothing changes
    bad = {**COURSE, "id": course, "chapters": [{"title": "第一章", "lessons": [
        lesson_input(article, body="改"), {"title": "新视频", "kind": "VIDEO", "durationSeconds": 30}]}]}
    errors = data(call(client, w, "admin", UPDATE, {"input": bad}), "updateLearningCourse")["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("chapters.0.lessons.1.url", "INVALID")]

    # reorder: a new first chapter with a new lesson, the article moved after it, the video removed
    edit = {**COURSE, "id": course, "title": "标准预防（2026版）", "department": dept, "chapters": [
        {"title": "导学", "lessons": [{"title": "导语", "kind": "ARTICLE", "body": "本课约十分钟。"}]},
        {"title": "第一章", "lessons": [lesson_input(article, body="视所有患者的血液体液为有传染性。")]}]}
    edit.pop("published")
    done = data(call(client, w, "admin", UPDATE, {"input": edit}), "updateLearningCourse")
    assert done["errors"] == [] and done["course"]["title"] == "标准预防（2026版）" and done["course"]["departmentName"] == "内科"
    assert [(c["title"], [ls["title"] for ls in c["lessons"]]) for c in done["course"]["chapters"]] == [
        ("导学", ["导语"]), ("第一章", ["概念"])]
    seen = data(call(client, w, "赵敏", COURSE_QUERY, {"id": course}), "learningCourse")
    mine = {ls["id"]: ls["myCompleted"] for c in seen["chapters"] for ls in c["lessons"]}
    assert mine[article["id"]] is True and list(mine.values()).count(True) == 1  # her progress stayed with the lesson

    # someone else's lesson id is refused
    other = data(call(client, w, "admin", CREATE, {"input": {**COURSE, "title": "另一门"}}), "createLearningCourse")["course"]
    stolen = {**edit, "chapters": [{"title": "一", "lessons": [lesson_input(other["chapters"][0]["lessons"][0], body="x")]}]}
    errors = data(call(client, w, "admin", UPDATE, {"input": stolen}), "updateLearningCourse")["errors"]
    assert [e["code"] for e in errors] == ["NOT_FOUND"]

    assigned = data(call(client, w, "admin", ASSIGN, {"c": course, "d": [dept], "at": deadline}), "assignLearningCourse")
    assert assigned["errors"] == [] and assigned["assignment"]["id"]


def test_a_question_is_edited_by_hand_and_once_answered_keeps_its_key_but_can_be_retired(client, w):
    fresh, used = w.bank[7], w.bank[3]  # two true/false questions
    exam = exams.create_exam(w.user("admin"), title="判断题小测", mode="fixed", pass_percent=50,
                             questions=[{"question": used.pk, "points": 10}])
    assignments.assign(w.user("admin"), exam.pk, {"user_ids": [w.user("钱进").pk]}, timezone.now() + dt.timedelta(days=1))
    attempts.start_attempt(w.user("钱进"), exam.pk)

    def edit(q, **kw):
        base = {"id": to_global_id("LearningQuestion", q.pk), "kind": "TRUE_FALSE", "stem": q.stem, "answer": json.dumps(q.answer),
                "topic": q.topic, "difficulty": q.difficulty.upper()}
        return data(call(client, w, "admin", EDIT_Q, {"input": {**base, **kw}}), "updateLearningQuestion")

    ok = edit(fresh, stem="胸外按压频率为每分钟100至120次。", topic="心肺复苏", difficulty="HARD", answer="false")
    assert ok["errors"] == [] and ok["question"]["stem"] == "胸外按压频率为每分钟100至120次。"
    assert (ok["question"]["topic"], ok["question"]["difficulty"], json.loads(ok["question"]["answer"])) == ("心肺复苏", "HARD", False)
    # every type is checked as on creation: a single choice needs its options
    bad = edit(fresh, kind="SINGLE", answer="0")
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [("options", "INVALID_QUESTION")]

    refused = edit(used, answer="true")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("answer", "QUESTION_IN_USE")]
    retired = edit(used, stem=used.stem + "（旧）", active=False)
    assert retired["errors"] == [] and retired["question"]["isActive"] is False
    assert from_global_id(retired["question"]["id"])[1] == str(used.pk)

    denied = call(client, w, "赵敏", EDIT_Q, {"input": {"id": to_global_id("LearningQuestion", fresh.pk), "kind": "TRUE_FALSE",
                                                       "stem": "x", "answer": "true", "topic": "x"}})
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
