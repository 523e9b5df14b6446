"""Legal holds, as the job needs them: every person and referral held right now (privacy's
`holds_active_ids`, read once per run), so a batch excludes them in its query."""

from __future__ import annotations

from diversion.privacy.holds import HeldIds, holds_active_ids

Holds = HeldIds


def holds_now() -> Holds:
    return holds_active_ids()
