"""Demo mode, for the public shared link.

Set ``SAMESTORY_DEMO=1`` in the server's environment. In demo mode the
bundled corpus is read-only, uploads live only in the uploader's session,
and no edit is persisted.
"""

from __future__ import annotations

import os

DEMO_ENV_VARIABLE = "SAMESTORY_DEMO"


def is_demo_mode() -> bool:
    return os.environ.get(DEMO_ENV_VARIABLE, "").strip().lower() in {"1", "true", "yes", "on"}
