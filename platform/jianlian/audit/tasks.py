"""The audit chain's periodic anchor (see jianlian.audit.service.checkpoint)."""

from __future__ import annotations

from jianlian.celery_app import app


@app.task(name="audit.checkpoint", ignore_result=True)
def checkpoint() -> int:
    """Write a signed checkpoint of every schema whose chain moved. Who: beat, every
    AUDIT_CHECKPOINT_INTERVAL seconds; idempotent (an unmoved head writes nothing)."""
    from jianlian.audit.service import checkpoint as run

    return run()
