"""``Home``: where a workspace keeps its home directory. A closed set of values, made only by
its factories, which fix what each renders to when it is made (as cdk8s-plus's ``EnvValue``
does, ``src/container.ts``). Code downstream asks the value for its volume or its claim
template; it never decodes which factory made it.

====================================================  =============================================
``Home.ephemeral(size_limit=None)`` (the default)      an emptyDir: gone with the pod
``Home.claim("pvc", access_mode=...)``                 an existing PersistentVolumeClaim
``Home.per_replica("10Gi", storage_class=..., ...)``   a claim per replica: the workload becomes a
                                                       StatefulSet with ``volumeClaimTemplates``
====================================================  =============================================
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kasm_constructs.manifests.grammar import (
    check_absolute_path,
    check_dns_subdomain,
    fail,
    parse_quantity,
)

__all__ = ["ACCESS_MODES", "HOME_VOLUME", "ClaimTemplate", "Home", "Volume"]

#: The access modes a home claim may have. Only ``ReadWriteMany`` lets one claim serve pods on
#: several nodes.
ACCESS_MODES = ("ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany")
#: The name of the home volume in the pod (and of the claim template).
HOME_VOLUME = "home"


@dataclass(frozen=True)
class Volume:
    """A pod volume mounted into the workspace container: an emptyDir (``size_limit``, disk or
    memory backed), an existing claim, or a Secret (mounted read-only)."""

    name: str
    mount_path: str
    size_limit: str | None = None
    memory: bool = False
    claim: str | None = None
    secret: str | None = None


@dataclass(frozen=True)
class ClaimTemplate:
    """A home claim per replica: the workload is a StatefulSet with a volumeClaimTemplate."""

    mount_path: str
    size: str
    access_mode: str
    storage_class: str | None


_TOKEN = object()


@dataclass(frozen=True, repr=False)
class Home:
    """The home volume of a workspace. Make one with :meth:`ephemeral`, :meth:`claim` or
    :meth:`per_replica`.

    ``path`` is where it is mounted; ``None`` means the image's ``$HOME`` (``/home/kasm-user``
    for kasmweb images). An image without a known home needs ``path``.
    """

    #: How it was made, e.g. ``Home.claim('desktop-home')``: what a message shows.
    made_by: str
    path: str | None = None
    #: The emptyDir's sizeLimit (``None``: the image's default), for an ephemeral home.
    _size_limit: str | None = None
    #: The existing claim, for a claim.
    _claim_name: str | None = None
    #: The claim per replica, without its mount path (the image's $HOME or ``path``).
    _template: ClaimTemplate | None = None
    #: The access mode of a claim (``None`` for an ephemeral home).
    access_mode: str | None = None
    #: A claim only one node can mount at a time: it serves one replica, and the Deployment
    #: replaces its pod instead of surging.
    single_attach: bool = False
    _token: object = None

    def __post_init__(self) -> None:
        if self._token is not _TOKEN:
            fail(
                "Home", self.made_by, "make it with Home.ephemeral, Home.claim or Home.per_replica"
            )
        if self.path is not None:
            check_absolute_path(f"{self.made_by.split('(')[0]}(path)", self.path)

    def __repr__(self) -> str:
        return self.made_by

    @classmethod
    def ephemeral(cls, size_limit: str | None = None, *, path: str | None = None) -> Home:
        """An emptyDir of ``size_limit`` (default: the image's, ``4Gi`` for kasmweb): the
        profile is made anew whenever the pod is."""
        if size_limit is not None:
            parse_quantity("Home.ephemeral(size_limit)", size_limit, positive=True)
        made_by = _made_by("ephemeral", size_limit, path=path)
        size = None if size_limit is None else str(size_limit)
        return cls(made_by, path, size, None, None, None, False, _TOKEN)

    @classmethod
    def claim(
        cls, name: str, *, access_mode: str = "ReadWriteOnce", path: str | None = None
    ) -> Home:
        """The existing PersistentVolumeClaim ``name``. A ``ReadWriteOnce`` claim attaches to
        one node, so it serves one replica, and the Deployment replaces its pod instead of
        surging; ``ReadWriteMany`` serves several (they share one profile)."""
        check_dns_subdomain("Home.claim(name)", name)
        _check_access_mode("Home.claim(access_mode)", access_mode)
        made_by = _made_by("claim", name, access_mode=access_mode, path=path)
        single = access_mode != "ReadWriteMany"
        return cls(made_by, path, None, name, None, access_mode, single, _TOKEN)

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
        parse_quantity("Home.per_replica(size)", size, positive=True)
        if storage_class is not None:
            check_dns_subdomain("Home.per_replica(storage_class)", storage_class)
        _check_access_mode("Home.per_replica(access_mode)", access_mode)
        template = ClaimTemplate("", str(size), access_mode, storage_class)
        made_by = _made_by(
            "per_replica", size, storage_class=storage_class, access_mode=access_mode, path=path
        )
        return cls(made_by, path, None, None, template, access_mode, False, _TOKEN)

    def volume(self, mount_path: str, default_size_limit: str) -> Volume | None:
        """The pod volume at ``mount_path``; ``None`` for a claim per replica (a template)."""
        if self._claim_name is not None:
            return Volume(HOME_VOLUME, mount_path, claim=self._claim_name)
        if self._template is not None:
            return None
        size = default_size_limit if self._size_limit is None else self._size_limit
        return Volume(HOME_VOLUME, mount_path, size_limit=size)

    def claim_template(self, mount_path: str) -> ClaimTemplate | None:
        """The claim per replica, mounted at ``mount_path``; ``None`` for the other homes."""
        return None if self._template is None else replace(self._template, mount_path=mount_path)


def _check_access_mode(parameter: str, access_mode: object) -> None:
    if access_mode not in ACCESS_MODES:
        fail(parameter, access_mode, f"expected one of {ACCESS_MODES}")


def _made_by(factory: str, first: object, **keywords: object) -> str:
    defaults = {"access_mode": "ReadWriteOnce"}
    given = [repr(first)] if first is not None else []
    given += [f"{k}={v!r}" for k, v in keywords.items() if v is not None and defaults.get(k) != v]
    return f"Home.{factory}({', '.join(given)})"
