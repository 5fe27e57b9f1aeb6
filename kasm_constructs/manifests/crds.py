"""The pinned CustomResourceDefinitions, as the package ships them.

``crd_schemas.json`` (beside this module) holds the ``openAPIV3Schema`` of every served version
of the CRDs the project pins (``../shared/crds``: Gateway API v1.5.1, cert-manager v1.21.1,
Envoy Gateway v1.9.0, KEDA v2.20.2), descriptions left out. ``make schemas``
(``tools/crd_schemas.py``) writes it from the CRD files; a test fails when it is stale.
Stdlib only: reading it needs neither jsonschema nor the CRD files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

__all__ = ["SCHEMA_FILE", "PinnedCrd", "PinnedCrds", "split_api_version"]

SCHEMA_FILE: Final = Path(__file__).with_name("crd_schemas.json")


def split_api_version(api_version: str) -> tuple[str, str]:
    """``"gateway.networking.k8s.io/v1"`` -> ``("gateway.networking.k8s.io", "v1")``;
    ``"v1"`` (the core group) -> ``("", "v1")``."""
    group, _, version = api_version.rpartition("/")
    return group, version


@dataclass(frozen=True)
class PinnedCrd:
    """One pinned CRD: what it defines, and the schema of each version it serves."""

    #: The CRD's file in ``../shared/crds``, which names the project and its version.
    source: str
    group: str
    kind: str
    #: ``Namespaced`` or ``Cluster``.
    scope: str
    #: version -> its ``openAPIV3Schema``.
    served: Mapping[str, Mapping[str, Any]] = field(repr=False)
    #: Versions the CRD still lists but no longer serves.
    unserved: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """``Kind.group``, as ``kubectl api-resources`` would say it."""
        return f"{self.kind}.{self.group}"


class PinnedCrds:
    """The pinned CRDs, looked up by API group and kind."""

    def __init__(self, crds: list[PinnedCrd]) -> None:
        self._by_group_kind = {(crd.group, crd.kind): crd for crd in crds}

    @classmethod
    def load(cls, path: Path = SCHEMA_FILE) -> PinnedCrds:
        """The CRDs of a file that ``make schemas`` wrote (by default the shipped one)."""
        document = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            [
                PinnedCrd(
                    source=entry["source"],
                    group=entry["group"],
                    kind=entry["kind"],
                    scope=entry["scope"],
                    served=entry["served"],
                    unserved=tuple(entry["unserved"]),
                )
                for entry in document["crds"]
            ]
        )

    def find(self, group: str, kind: str) -> PinnedCrd | None:
        """The pinned CRD that defines ``kind`` in ``group``, if there is one."""
        return self._by_group_kind.get((group, kind))

    def __iter__(self) -> Iterator[PinnedCrd]:
        return iter(self._by_group_kind.values())

    def __len__(self) -> int:
        return len(self._by_group_kind)
