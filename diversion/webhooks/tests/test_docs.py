from __future__ import annotations

import re
from pathlib import Path

from diversion.webhooks.signing import signature_header
from diversion.webhooks.tests.receiver import signature_is_valid

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"
DOCUMENTED_SECRET = "whsec_test_only_do_not_use"


def test_the_example_in_the_integrators_guide_is_signed_as_diversion_signs() -> None:
    text = GUIDE.read_text()
    header = re.search(r"^Diversion-Signature: (t=\d+,v1=[0-9a-f]{64})$", text, re.M)
    body = re.search(r'^(\{"event":.*\})$', text, re.M)
    assert header is not None and body is not None
    raw = body.group(1).encode()
    timestamp = int(header.group(1).split(",")[0].removeprefix("t="))
    assert signature_header(secret=DOCUMENTED_SECRET, timestamp=timestamp, body=raw) == (
        header.group(1)
    )
    assert signature_is_valid(DOCUMENTED_SECRET, header.group(1), raw, now=timestamp)
    assert not signature_is_valid(DOCUMENTED_SECRET, header.group(1), raw + b" ", now=timestamp)
