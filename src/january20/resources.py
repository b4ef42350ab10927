"""Where the project's inputs live: the facts, the ontology and the shapes, read at run time.

From a source checkout (or an editable install) they are the top-level folders; a wheel carries copies under
``january20/_resources``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def sources_dir(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def editorial_file(self) -> Path:
        return self.root / "data" / "editorial" / "enrichment.yaml"

    @property
    def quantities_file(self) -> Path:
        """The reported quantities and the editors' explanations of disagreements (optional: without it, no
        quantities)."""
        return self.root / "data" / "editorial" / "quantities.yaml"

    @property
    def reference_file(self) -> Path:
        return self.root / "data" / "reference" / "entities.yaml"

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "january20.ttl"

    @property
    def concepts_file(self) -> Path:
        return self.root / "ontology" / "concepts.ttl"

    @property
    def context_file(self) -> Path:
        return self.root / "ontology" / "context.jsonld"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    def facts_files(self) -> list[Path]:
        """Every source's facts file, in a stable order."""
        return sorted(self.sources_dir.glob("*/facts.yaml"))


def default_project() -> Project:
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "shapes").is_dir():
        return Project(checkout)
    return Project(Path(__file__).resolve().parent / "_resources")
