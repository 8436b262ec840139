from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PeriodicSpec, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="learning",
    name_zh="学习中心",
    name_en="Learning centre",
    version="1.0.0",
    category="management",
    publisher_level="province",
    description_zh="题库与考试：单选、多选、判断、填空、简答，按知识点和难度随机组卷，限时作答随答随存，自动阅卷与人工阅卷，布置到科室并实时查看完成率。",
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
    },
    demo="modules.learning.demo.seed",
    todo_sources=["modules.learning.todo_source.open_assignments"],
    graphql="modules.learning.schema",
    periodic_tasks=[PeriodicSpec("expire_attempts", "modules.learning.tasks.expire_attempts", 30)],
    audit_actions={
        "learning.create_question": ("新增试题", "Added a question"),
        "learning.import_questions": ("导入试题", "Imported questions"),
        "learning.create_exam": ("新建考试", "Created an exam"),
        "learning.assign_exam": ("安排考试", "Assigned an exam"),
        "learning.close_exam": ("结束考试", "Closed an exam"),
        "learning.start_attempt": ("开始答题", "Started an exam"),
        "learning.finish_attempt": ("交卷", "Handed in an exam"),
        "learning.mark_item": ("阅卷评分", "Marked an answer"),
    },
    changelog=[Change("1.0.0", "首个版本：题库（含 Excel 导入）、固定与随机组卷考试、限时作答、自动与人工阅卷、考试布置与完成率。",
                      "First release: question bank (with Excel import), fixed and random papers, timed attempts, "
                      "automatic and manual marking, assignments and completion rates.")],
)
