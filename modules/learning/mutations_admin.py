"""Mutations of the managers' screens: editing a course (fields, chapters, lessons, their order),
publishing or withdrawing it, and editing a question of the bank."""

from __future__ import annotations

import graphene

from jianlian.api.base import GlobalID, action_mutation
from jianlian.api.permissions import CURRENT_TENANT, Perm
from modules.learning import course_admin
from modules.learning.mutations import CreateLearningQuestionInput
from modules.learning.mutations_courses import CreateLearningCourseInput, LearningChapterInput, LearningLessonInput, department_of
from modules.learning.types import LearningQuestionType
from modules.learning.types_courses import LearningCourseType

MANAGE = Perm("learning.manage", at=CURRENT_TENANT)


class LearningLessonEditInput(LearningLessonInput):
    """A lesson of an edited course: `id` for one it already has (progress kept), none for a new one."""

    id = GlobalID("LearningLesson", description="已有课时的 ID（新课时不填）。")


class LearningChapterEditInput(LearningChapterInput):
    """A chapter of an edited course, its lessons in the order wanted."""

    lessons = graphene.List(graphene.NonNull(LearningLessonEditInput), required=True, description="课时（按顺序）。")


class UpdateLearningCourseInput(CreateLearningCourseInput):
    """The course's new fields and structure; chapters and lessons in the order wanted."""

    id = GlobalID("LearningCourse", required=True, description="课程。")
    chapters = graphene.List(graphene.NonNull(LearningChapterEditInput), required=True, description="章节（按顺序）。")


def _chapters(input) -> list[dict]:
    return [{"title": ch["title"], "lessons": [dict(ls) for ls in ch["lessons"]]} for ch in input["chapters"]]


COURSE = {"course": graphene.Field(LearningCourseType, description="课程。")}


def _update_course(user, input):
    c = course_admin.update_course(user, input["id"], title=input["title"], description=input.get("description") or "",
                                   category=input.get("category") or "", department=department_of(input),
                                   credits=input.get("credits") or 0, credit_kind=input.get("credit_kind") or "",
                                   chapters=_chapters(input))
    if input.get("published") is not None:
        c = course_admin.publish_course(user, c.pk, input["published"])
    return {"course": c}


UpdateLearningCourse = action_mutation(
    "UpdateLearningCourse", "修改课程：名称、分类、学分、章节与课时及其顺序；带 ID 的课时保留学习进度，未列出的课时删除。",
    permissions=MANAGE, error_codes=("INVALID", "NOT_FOUND"), input=UpdateLearningCourseInput,
    returns={"course": graphene.Field(LearningCourseType, description="修改后的课程。")}, run=_update_course)


class PublishLearningCourseInput(graphene.InputObjectType):
    """A course, and whether it is in the catalogue."""

    course = GlobalID("LearningCourse", required=True, description="课程。")
    published = graphene.Boolean(required=True, description="true 发布到课程目录，false 撤回为草稿。")


PublishLearningCourse = action_mutation(
    "PublishLearningCourse", "发布课程到课程目录，或撤回为草稿。", permissions=MANAGE, error_codes=("INVALID",),
    input=PublishLearningCourseInput, returns=COURSE,
    run=lambda user, i: {"course": course_admin.publish_course(user, i["course"], i["published"])})


class UpdateLearningQuestionInput(CreateLearningQuestionInput):
    """The question's new content. Once answered in an exam its type, options and answer stay."""

    id = GlobalID("LearningQuestion", required=True, description="题目。")
    active = graphene.Boolean(description="是否启用（停用的题不再抽取）。")


def _update_question(user, i):
    return {"question": course_admin.update_question(
        user, i["id"], kind=i["kind"], stem=i["stem"], options=i.get("options"), answer=i["answer"], topic=i["topic"],
        difficulty=i.get("difficulty") or "medium", explanation=i.get("explanation") or "", active=i.get("active"))}


UpdateLearningQuestion = action_mutation(
    "UpdateLearningQuestion", "修改题库中的一道题，或停用/启用它。", permissions=MANAGE,
    error_codes=("INVALID_QUESTION", "QUESTION_IN_USE"), input=UpdateLearningQuestionInput,
    returns={"question": graphene.Field(LearningQuestionType, description="修改后的题目。")}, run=_update_question)


class AdminMutation(graphene.ObjectType):
    update_learning_course = UpdateLearningCourse.Field()
    publish_learning_course = PublishLearningCourse.Field()
    update_learning_question = UpdateLearningQuestion.Field()

