"""The outlet manifest: a CSV that maps article ids to outlets.

Required columns: ``id`` and ``outlet``. Any other column (evidence,
confidence, original publisher, ...) is kept as metadata of the article.
A folder given to ``samestory ingest`` may carry its own ``manifest.csv``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from analysis.decode import decode_bytes
from analysis.errors import InputRejected, ManifestError

MANIFEST_NAME = "manifest.csv"


@dataclass(frozen=True)
class Manifest:
    outlets: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, dict] = field(default_factory=dict)

    def merged(self, other: Manifest) -> Manifest:
        """A manifest where ``other`` wins for ids present in both."""
        return Manifest({**self.outlets, **other.outlets}, {**self.metadata, **other.metadata})


def load_manifest(path: str | Path) -> Manifest:
    """Read a manifest CSV; raises ManifestError naming what is wrong."""
    path = Path(path)
    try:
        text = decode_bytes(path.read_bytes()).text
    except OSError as error:
        raise ManifestError(f"cannot read manifest {path}: {error.strerror or error}") from error
    except InputRejected as rejection:
        raise ManifestError(f"cannot read manifest {path}: {rejection.reason}") from rejection
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = {"id", "outlet"} - set(header)
    if missing:
        raise ManifestError(
            f"manifest {path} lacks column(s) {', '.join(sorted(missing))}; "
            f"it needs 'id' and 'outlet' (has: {', '.join(header) or 'none'})")
    reader.fieldnames = header
    outlets: dict[str, str] = {}
    metadata: dict[str, dict] = {}
    for row in reader:
        article_id = (row.get("id") or "").strip()
        outlet = (row.get("outlet") or "").strip()
        if not article_id or not outlet:
            continue
        outlets[article_id] = outlet
        metadata[article_id] = {
            key: value for key, value in row.items()
            if key not in ("id", "outlet") and key is not None and value not in (None, "")
        }
    return Manifest(outlets, metadata)
