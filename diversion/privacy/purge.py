"""What erasure removes outside the model tables: outbox files and sessions."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from diversion.core.logging import get_logger

logger = get_logger(__name__)


def outbox_dirs() -> list[Path]:
    """Where the development back ends write messages (var/outbox)."""
    path = getattr(settings, "EMAIL_FILE_PATH", None)
    return [Path(path)] if path else []


def outbox_purge(needles: Iterable[str]) -> int:
    """Remove every outbox file (an email) or JSON line (a text) that holds one of `needles`
    (the person's addresses and the messages' references). Returns files and lines removed."""
    wanted = [needle for needle in set(needles) if needle and len(needle) >= 4]
    if not wanted:
        return 0
    removed = 0
    for folder in outbox_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            text = path.read_text(encoding="utf-8", errors="replace")
            if not any(needle in text for needle in wanted):
                continue
            if path.suffix == ".jsonl":
                removed += _lines_remove(path, text, wanted)
            else:
                path.unlink()
                removed += 1
    if removed:
        logger.info("outbox_purged", removed=removed)
    return removed


def _lines_remove(path: Path, text: str, wanted: list[str]) -> int:
    kept, removed = [], 0
    for line in text.splitlines():
        if any(needle in line for needle in wanted):
            removed += 1
        else:
            kept.append(line)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
    os.replace(temporary, path)
    return removed


def sessions_purge(needles: Iterable[str]) -> int:
    """Delete unexpired sessions whose data mentions the person (a self-service link's id)."""
    wanted = [needle for needle in set(needles) if needle and len(needle) >= 4]
    if not wanted:
        return 0
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = json.dumps(session.get_decoded(), default=str)
        if any(needle in data for needle in wanted):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)
