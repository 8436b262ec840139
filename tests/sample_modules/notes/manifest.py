from jianlian.marketplace.manifest import Change, Manifest, PeriodicSpec, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="notes", name_zh="工作便签", name_en="Notes", version="1.1.0", category="administrative",
    description_zh="示例模块：便签与置顶。",
    permissions=[PermissionSpec("notes.write", "写便签")],
    default_roles=[RoleSpec("note_keeper", "便签管理员", "Note keeper", ("notes.write", "platform.use"))],
    graphql="tests.sample_modules.notes.schema",
    badge="tests.sample_modules.notes.badges.unread",
    periodic_tasks=[PeriodicSpec("tick", "tests.sample_modules.notes.tasks.tick", 60)],
    data_elements=["notes.count"],
    changelog=[Change("1.1.0", "便签可以置顶", "Notes can be pinned"), Change("1.0.0", "首个版本", "First release")],
)
