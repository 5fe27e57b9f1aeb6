"""``Home``: where a workspace keeps its home directory. A value object made by a factory; it
needs no scope, and checks its own arguments.

====================================================  =============================================
``Home.ephemeral(size_limit=None)`` (the default)      an emptyDir: gone with the pod
``Home.claim("pvc", access_mode=...)``                 an existing PersistentVolumeClaim
``Home.per_replica("10Gi", storage_class=..., ...)``   a claim per replica: the workload becomes a
                                                       StatefulSet with ``volumeClaimTemplates``
====================================================  =============================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kasm_constructs.manifests.grammar import (
    check_absolute_path,
    check_dns_subdomain,
    fail,
    parse_quantity,
)

__all__ = ["ACCESS_MODES", "Home"]

#: The access modes a home claim may have. Only ``ReadWriteMany`` lets one claim serve pods on
#: several nodes.
ACCESS_MODES = ("ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany")

Source = Literal["ephemeral", "claim", "per_replica"]


@dataclass(frozen=True)
class Home:
    """The home volume of a workspace. Use :meth:`ephemeral`, :meth:`claim` or
    :meth:`per_replica`.

    ``path`` is where it is mounted; ``None`` means the image's ``$HOME`` (``/home/kasm-user``
    for kasmweb images). An image without a known home needs ``path``.
    """

    source: Source
    #: ``ephemeral``: the emptyDir's ``sizeLimit`` (``None``: the image's default);
    #: ``per_replica``: the size each claim requests.
    size: str | None = None
    #: ``claim``: the name of the existing PersistentVolumeClaim.
    claim_name: str | None = None
    #: ``per_replica``: the claims' ``storageClassName`` (``None``: the cluster's default).
    storage_class: str | None = None
    #: ``claim`` and ``per_replica``: the access mode.
    access_mode: str = "ReadWriteOnce"
    path: str | None = None

    def __post_init__(self) -> None:
        factory = f"Home.{self.source}"
        if self.source not in ("ephemeral", "claim", "per_replica"):
            fail("Home source", self.source, "use Home.ephemeral, Home.claim or Home.per_replica")
        if self.path is not None:
            check_absolute_path(f"{factory}(path)", self.path)
        if self.access_mode not in ACCESS_MODES:
            fail(f"{factory}(access_mode)", self.access_mode, f"expected one of {ACCESS_MODES}")
        if self.source == "claim":
            check_dns_subdomain(f"{factory}(name)", self.claim_name)
        if self.source == "per_replica":
            parse_quantity(f"{factory}(size)", self.size, positive=True)
            if self.storage_class is not None:
                check_dns_subdomain(f"{factory}(storage_class)", self.storage_class)
        if self.source == "ephemeral" and self.size is not None:
            parse_quantity(f"{factory}(size_limit)", self.size, positive=True)
        unused = {
            "ephemeral": ("claim_name", "storage_class"),
            "claim": ("size", "storage_class"),
            "per_replica": ("claim_name",),
        }[self.source]
        for name in unused:
            if getattr(self, name) is not None:
                fail(f"{factory}({name})", getattr(self, name), f"a {self.source} home has none")
        if self.source == "ephemeral" and self.access_mode != "ReadWriteOnce":
            fail(f"{factory}(access_mode)", self.access_mode, "an ephemeral home has none")

    @classmethod
    def ephemeral(cls, size_limit: str | None = None, *, path: str | None = None) -> Home:
        """An emptyDir of ``size_limit`` (default: the image's, ``4Gi`` for kasmweb): the
        profile is made anew whenever the pod is."""
        return cls("ephemeral", size=size_limit, path=path)

    @classmethod
    def claim(
        cls, name: str, *, access_mode: str = "ReadWriteOnce", path: str | None = None
    ) -> Home:
        """The existing PersistentVolumeClaim ``name``. A ``ReadWriteOnce`` claim attaches to
        one node, so it serves one replica, and the Deployment replaces its pod instead of
        surging; ``ReadWriteMany`` serves several (they share one profile)."""
        return cls("claim", claim_name=name, access_mode=access_mode, path=path)

    @classmethod
    def per_replica(
        cls,
        size: str,
        *,
        storage_class: str | None = None,
        access_mode: str = "ReadWriteOnce",
        path: str | None = None,
    ) -> Home:
        """A claim of ``size`` for each replica: the workload becomes a StatefulSet with a
        ``volumeClaimTemplate``, and each desktop keeps its own profile."""
        return cls(
            "per_replica",
            size=size,
            storage_class=storage_class,
            access_mode=access_mode,
            path=path,
        )

    @property
    def shared_by_nodes(self) -> bool:
        """A claim that pods on several nodes can mount at once."""
        return self.access_mode == "ReadWriteMany"
