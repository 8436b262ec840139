from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PeriodicSpec, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="learning",
    name_zh="学习中心",
    name_en="Learning centre",
    version="1.1.0",
    category="management",
    publisher_level="province",
    description_zh="课程与学分、每日一答与竞赛、题库与考试：单选、多选、判断、填空、简答，按知识点和难度随机组卷，限时作答随答随存，自动阅卷与人工阅卷，布置到科室并实时查看完成率。",
    description_en="Question bank and exams: five question types, random papers by topic and difficulty, timed attempts "
                   "saved as you go, automatic and manual marking, assignments with live completion by department.",
    permissions=[
        PermissionSpec("learning.manage", _("管理题库与考试、布置考试、查看完成情况")),
        PermissionSpec("learning.mark", _("批阅简答题")),
    ],
    default_roles=[
        RoleSpec("learning_admin", "学习中心管理员", "Learning administrator",
                 ("platform.use", "learning.manage", "learning.mark")),
        RoleSpec("learning_marker", "阅卷人", "Exam marker", ("platform.use", "learning.mark")),
    ],
    error_codes={
        "INVALID_QUESTION": "The question's options or answer do not fit its type.",
        "INVALID_RULES": "A random paper's rules are malformed.",
        "NOT_ENOUGH_QUESTIONS": "The bank holds fewer questions than a rule asks for.",
        "EXAM_NOT_OPEN": "The exam has not opened yet or has closed.",
        "ATTEMPTS_EXHAUSTED": "The person has used every attempt the exam allows.",
        "ATTEMPT_ENDED": "The attempt was submitted or its time is up; no more answers are taken.",
        "INVALID_ANSWER": "The answer does not fit the question's type.",
        "NOT_MARKABLE": "Only short answers of a submitted attempt are marked by hand.",
        "EXAM_NOT_CLOSED": "Item analysis is shown once the exam has closed.",
        "NO_CERTIFICATE": "Only a passed attempt has a certificate.",
        "QUIZ_DONE": "Today's quiz of this campaign was already answered.",
        "QUESTION_IN_USE": "A question answered in an exam keeps its type, options and key.",
    },
    demo="modules.learning.demo.seed",
    todo_sources=["modules.learning.todo_source.open_assignments"],
    graphql="modules.learning.schema",
    urls="modules.learning.urls",
    periodic_tasks=[PeriodicSpec("expire_attempts", "modules.learning.tasks.expire_attempts", 30),
                    PeriodicSpec("remind_assignments", "modules.learning.tasks.remind_assignments", 600)],
    audit_actions={
        "learning.create_question": ("新增试题", "Added a question"),
        "learning.import_questions": ("导入试题", "Imported questions"),
        "learning.create_exam": ("新建考试", "Created an exam"),
        "learning.assign_exam": ("安排考试", "Assigned an exam"),
        "learning.close_exam": ("结束考试", "Closed an exam"),
        "learning.start_attempt": ("开始答题", "Started an exam"),
        "learning.finish_attempt": ("交卷", "Handed in an exam"),
        "learning.mark_item": ("阅卷评分", "Marked an answer"),
        "learning.update_question": ("修改试题", "Edited a question"),
        "learning.update_course": ("修改课程", "Edited a course"),
        "learning.publish_course": ("发布课程", "Published a course"),
        "learning.withdraw_course": ("撤回课程", "Withdrew a course"),
    },
    changelog=[Change("1.1.0", "课程（视频、文档、图文课时，进度可续播）、分类、课程导入、继续教育学分与导出、课程布置与截止提醒、试题分析、合格证书、每日一答与专题竞赛排行榜。",
                      "Courses (video, document and article lessons, resumable progress), categories, course import, "
                      "credits with export, course assignments and reminders, item analysis, certificates, daily quiz "
                      "and campaigns with leaderboards."),
               Change("1.0.0", "首个版本：题库（含 Excel 导入）、固定与随机组卷考试、限时作答、自动与人工阅卷、考试布置与完成率。",
                      "First release: question bank (with Excel import), fixed and random papers, timed attempts, "
                      "automatic and manual marking, assignments and completion rates.")],
)
