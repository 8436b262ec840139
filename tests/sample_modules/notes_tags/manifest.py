from jianlian.marketplace.manifest import Change, Manifest

MANIFEST = Manifest(
    key="notes_tags", name_zh="便签标签", name_en="Note tags", version="1.0.0", category="administrative",
    depends=["notes"], public_models=("tagtotal",), changelog=[Change("1.0.0", "首个版本", "First release")],
)
