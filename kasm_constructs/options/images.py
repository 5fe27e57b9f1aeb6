"""What each image needs at run time: the one place that knows about the kasmweb images.

Every fact carries its source in brackets. They were read from the public sources, not measured
on a running container, so everything here can be overridden per workspace (see
:class:`~kasm_constructs.HardenedWorkspace`), and a whole profile can be replaced with
``image_profile=``.

Sources:

- [core]    kasmtech/workspaces-core-images ``dockerfile-kasm-core``, release/1.14.0 .. 1.16.0
- [profile] same repository, ``src/common/startup_scripts/kasm_default_profile.sh``
- [vnc]     same repository, ``src/common/startup_scripts/vnc_startup.sh``
- [helm]    kasmtech/kasm-helm ``docs/explanation/sessions-docker-vs-kubernetes.md``
- [posture] kasmtech/kasm-helm ``docs/explanation/security-posture.md``
- [docs]    Kasm Workspaces docs, "docker run --shm-size=512m"
- [o2p]     oauth2-proxy/oauth2-proxy v7.15.3: ``Makefile`` L33-34, L61, L81-83 (the image
            ``quay.io/oauth2-proxy/oauth2-proxy:<tag>`` on ``gcr.io/distroless/static:nonroot``,
            user 65532 since v7.3.0, ``CHANGELOG.md`` L742-743); ``pkg/apis/options/
            legacy_options.go`` L479, L494 (``--http-address``, default ``127.0.0.1:4180``);
            ``docs/docs/features/endpoints.md`` L10-11 (``/ping``, ``/ready``); it writes no
            file with the default cookie session store and logging to standard output
            (``pkg/validation/logging.go`` L14-16)
- [kasmvnc] kasmtech/KasmVNC v1.2.1, v1.3.1, v1.3.2 (what the 1.14, 1.15 and 1.16 images
            install: ``src/ubuntu/install/kasm_vnc/install_kasm_vnc.sh`` L20-22);
            ``common/network/websocket.c`` (the certificate files are read at every TLS
            handshake, so a renewed Secret is served without a restart); how options reach it:
            :mod:`kasm_constructs.options.kasmvnc`
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from kasm_constructs.manifests.grammar import (
    IMAGE_REFERENCE,
    check_absolute_path,
    check_env_name,
    check_int,
    check_mapping,
    check_port_name,
    check_str,
    compiled,
    fail,
    hidden,
    parse_quantity,
)

__all__ = [
    "CREDENTIAL_VARIABLES",
    "GENERIC",
    "KASM_PROFILES",
    "OAUTH2_PROXY",
    "OAUTH2_PROXY_IMAGE",
    "OAUTH2_PROXY_USER",
    "PROFILES",
    "ImageProfile",
    "ImageReference",
    "profile_for",
    "profile_named",
]


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class ImageProfile:
    """What one image needs to start under a read-only root filesystem.

    Create a variant with :func:`dataclasses.replace`, e.g.
    ``replace(profile_for("kasmweb/desktop:1.16.0"), shm_size="1Gi")``.
    """

    #: Its name, e.g. ``"kasmweb-1.16"``: ``image_profile=`` and a roster may name it.
    name: str
    #: The image's ``$HOME``; the home volume is mounted here. ``None``: no home is mounted.
    home: str | None = None
    #: Absolute path -> emptyDir ``sizeLimit`` for every path the image writes besides home.
    writable_paths: Mapping[str, str] = field(default_factory=lambda: _frozen({"/tmp": "1Gi"}))
    #: ``sizeLimit`` of the home emptyDir when the home is ephemeral.
    home_size_limit: str = "4Gi"
    #: Environment the image needs under a read-only root.
    env: Mapping[str, str] = field(default_factory=lambda: _frozen({}))
    #: Container port name -> number. The first port is the one that is probed.
    ports: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    #: The image's ENTRYPOINT and CMD, needed only when ``stale_files`` is not empty.
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    #: Files left by a previous run of the container in the same pod that stop it starting.
    #: When set, the container runs ``rm -f`` on them, then ``exec``s ENTRYPOINT with CMD.
    stale_files: tuple[str, ...] = ()
    #: Environment variables that must come from a Secret (``secret_env``).
    required_secret_env: tuple[str, ...] = ()
    #: Default ``/dev/shm`` size (a memory-backed emptyDir).
    shm_size: str = "512Mi"
    #: Seconds the first start may take (startup probe budget).
    startup_seconds: int = 300
    #: What the first port speaks: ``HTTP`` or ``HTTPS``. A proxy in front must speak it too.
    web_scheme: str = "HTTP"
    #: The KasmVNC version the image runs, ``(1, 3, 2)``: which options it takes, through
    #: ``VNCOPTIONS`` (:mod:`kasm_constructs.options.kasmvnc`). ``None``: not a KasmVNC image
    #: (it can neither serve a given certificate nor take session controls).
    kasmvnc: tuple[int, int, int] | None = None
    #: The image's own ``VNCOPTIONS``, restated whenever the library sets the variable.
    vnc_options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check every field, so a hand-written profile fails here, naming the field."""
        set_ = object.__setattr__
        check_str("ImageProfile(name)", self.name)
        if self.home is not None:
            check_absolute_path("ImageProfile(home)", self.home)
        paths = check_mapping("ImageProfile(writable_paths)", self.writable_paths)
        for path, size in paths.items():
            check_absolute_path("ImageProfile(writable_paths) key", path)
            parse_quantity(f"ImageProfile(writable_paths[{path!r}])", size, positive=True)
        set_(self, "writable_paths", _frozen(paths))
        parse_quantity("ImageProfile(home_size_limit)", self.home_size_limit, positive=True)
        parse_quantity("ImageProfile(shm_size)", self.shm_size, positive=True)
        env = check_mapping("ImageProfile(env)", self.env)
        for key, value in env.items():
            check_env_name("ImageProfile(env) key", key)
            if key in CREDENTIAL_VARIABLES:
                fail(f"ImageProfile(env[{key!r}])", hidden(value), f"{key} holds a credential")
            if not isinstance(value, str):
                fail(f"ImageProfile(env[{key!r}])", value, "expected a string")
        set_(self, "env", _frozen(env))
        ports = check_mapping("ImageProfile(ports)", self.ports)
        for port_name, number in ports.items():
            check_port_name("ImageProfile(ports) key", port_name)
            check_int(f"ImageProfile(ports[{port_name!r}])", number, minimum=1, maximum=65535)
        set_(self, "ports", MappingProxyType(dict(ports)))
        for field_name in (
            "entrypoint",
            "cmd",
            "stale_files",
            "required_secret_env",
            "vnc_options",
        ):
            value = getattr(self, field_name)
            if isinstance(value, str) or not isinstance(value, Sequence):
                fail(f"ImageProfile({field_name})", value, "expected a list of strings")
            for item in value:
                if not isinstance(item, str):
                    fail(f"ImageProfile({field_name}) item", item, "expected a string")
            set_(self, field_name, tuple(value))
        for path in self.stale_files:
            check_absolute_path("ImageProfile(stale_files) item", path)
        for key in self.required_secret_env:
            check_env_name("ImageProfile(required_secret_env) item", key)
        if self.stale_files and not self.entrypoint:
            fail(
                "ImageProfile(entrypoint)",
                self.entrypoint,
                "stale_files need the image's ENTRYPOINT: the wrapper execs it after removing them",
            )
        check_int("ImageProfile(startup_seconds)", self.startup_seconds, minimum=1)
        if self.web_scheme not in ("HTTP", "HTTPS"):
            fail("ImageProfile(web_scheme)", self.web_scheme, "expected 'HTTP' or 'HTTPS'")
        if self.kasmvnc is not None and not (
            isinstance(self.kasmvnc, tuple)
            and len(self.kasmvnc) == 3
            and all(isinstance(part, int) and part >= 0 for part in self.kasmvnc)
        ):
            fail("ImageProfile(kasmvnc)", self.kasmvnc, "expected a version, e.g. (1, 3, 2)")


# --- kasmweb images ---------------------------------------------------------------------------
#: Variables that hold a credential: the web client's password and its view-only password [vnc].
#: Never accepted as a plain value, whatever the profile, and wherever the image comes from.
CREDENTIAL_VARIABLES = frozenset({"VNC_PW", "VNC_VIEW_ONLY_PW"})
_KASM_HOME = "/home/kasm-user"  # HOME=/home/kasm-user, owned 1000:0 [core]

KASM_1_16 = ImageProfile(
    name="kasmweb-1.16",
    home=_KASM_HOME,
    writable_paths=_frozen(
        {
            # .X1-lock, .X11-unix/X1, dbus, the printer relay [vnc]; XDG_CACHE_HOME below [helm]
            "/tmp": "1Gi",
            # pulseaudio runs with HOME=/var/run/pulse [vnc]
            "/var/run/pulse": "64Mi",
        }
    ),
    # $HOME gets the default profile, .vnc/self.pem, Downloads/, Uploads/ ... [core][profile]
    home_size_limit="4Gi",
    env=_frozen(
        {
            # "a session pod cannot assume a writable $HOME or /run" [helm]
            "XDG_RUNTIME_DIR": "/tmp/runtime-kasm-user",
            "XDG_CACHE_HOME": "/tmp/.cache",
            "TMPDIR": "/tmp",
            # Side services on ports of their own (audio 4901, uploads 4902, audio input,
            # gamepad, webcam 4905), each started unless its variable is not 1 [vnc]. Reached
            # through the one web port, the pod can use none of them: the less that listens,
            # the less there is to attack. env={"KASM_SVC_AUDIO": "1"} switches one back on.
            "KASM_SVC_AUDIO": "0",
            "KASM_SVC_AUDIO_INPUT": "0",
            "KASM_SVC_UPLOADS": "0",
            "KASM_SVC_GAMEPAD": "0",
            "KASM_SVC_WEBCAM": "0",
        }
    ),
    # 6901: KasmVNC web client, HTTPS with basic auth; nothing listens on 8443 [vnc]
    ports=MappingProxyType({"vnc": 6901}),
    web_scheme="HTTPS",
    # KasmVNC 1.3.2 [kasmvnc] (install_kasm_vnc.sh, release/1.16.0 L20-22). The start script
    # passes $VNCOPTIONS to vncserver, where options written as two words win over
    # kasmvnc.yaml (options.kasmvnc); setting the variable replaces the image's default, so its
    # four options are restated [core].
    kasmvnc=(1, 3, 2),
    vnc_options=(
        "-PreferBandwidth",
        "-DynamicQualityMin=4",
        "-DynamicQualityMax=7",
        "-DLP_ClipDelay=0",
    ),
    # ENTRYPOINT and CMD of dockerfile-kasm-core [core]
    entrypoint=(
        "/dockerstartup/kasm_default_profile.sh",
        "/dockerstartup/vnc_startup.sh",
        "/dockerstartup/kasm_startup.sh",
    ),
    cmd=("--wait",),
    # An emptyDir /tmp survives a container restart; the image's own cleanup is chained behind
    # an append to /dockerstartup/vnc_startup.log, which fails on a read-only root [vnc]
    stale_files=("/tmp/.X1-lock", "/tmp/.X11-unix/X1"),
    # Without VNC_PW the image serves its published default password "vncpassword" [vnc]
    required_secret_env=("VNC_PW",),
    # docker run --shm-size=512m [docs]
    shm_size="512Mi",
    # First start copies the profile and generates a key [vnc]
    startup_seconds=300,
)

# 1.14 and 1.15 run `ln -sf $HOME/Downloads /usr/share/kasmvnc/www/Downloads/Downloads` under
# `set -e` and exit on a read-only root; 1.16 makes the link at build time [vnc]
KASM_1_14 = replace(
    KASM_1_16,
    name="kasmweb-1.14",
    kasmvnc=(1, 2, 1),  # install_kasm_vnc.sh, release/1.14.0 L20-22 [kasmvnc]
    writable_paths=_frozen(
        {**KASM_1_16.writable_paths, "/usr/share/kasmvnc/www/Downloads": "16Mi"}
    ),
)
KASM_1_15 = replace(KASM_1_14, name="kasmweb-1.15", kasmvnc=(1, 3, 1))  # release/1.15.0

#: Known kasmweb releases: ``(major, minor)`` of the image tag -> what that release needs.
KASM_PROFILES: Mapping[tuple[int, int], ImageProfile] = MappingProxyType(
    {(1, 14): KASM_1_14, (1, 15): KASM_1_15, (1, 16): KASM_1_16}
)

#: Any other image: a writable /tmp, no home, no ports, its entrypoint left alone. Never taken
#: by default: an image the library does not know is named as generic on purpose
#: (``image_profile="generic"``), so a typo in ``kasmweb`` is not silently one.
GENERIC = ImageProfile(name="generic")

#: oauth2-proxy, the Ingress path's sign-in proxy [o2p]: the image the library runs, its user,
#: its one port; nothing to write (no home, no writable path, a token /dev/shm).
OAUTH2_PROXY_IMAGE = "quay.io/oauth2-proxy/oauth2-proxy:v7.15.3"
OAUTH2_PROXY_USER = 65532
OAUTH2_PROXY = ImageProfile(
    name="oauth2-proxy",
    writable_paths={},
    ports={"http": 4180},
    shm_size="1Mi",
    startup_seconds=60,
)

#: Every profile by name, as ``image_profile=`` (and a roster) may name it.
PROFILES: Mapping[str, ImageProfile] = MappingProxyType(
    {profile.name: profile for profile in (*KASM_PROFILES.values(), GENERIC)}
)


# --- image references -------------------------------------------------------------------------
_REFERENCE = compiled(IMAGE_REFERENCE)
_VERSION = re.compile(r"([0-9]+)\.([0-9]+)", re.ASCII)
_HUB = "docker.io"


@dataclass(frozen=True)
class ImageReference:
    """A parsed container image reference, ``[domain/]path[:tag][@digest]``."""

    domain: str | None
    path: str
    tag: str | None
    digest: str | None

    @classmethod
    def parse(cls, image: str, parameter: str = "image") -> ImageReference:
        """Parse ``image``; raise ``ValueError`` naming ``parameter`` when it is not valid."""
        match = _REFERENCE.fullmatch(image) if isinstance(image, str) else None
        domain = match["domain"] if match else None
        # A first component without '.' or ':' that is not 'localhost' belongs to the path.
        if match and domain and not re.search(r"[.:]", domain) and domain != "localhost":
            match = _REFERENCE.fullmatch(f"{_HUB}/{image}")
        if match is None:
            fail(
                parameter,
                image,
                "expected an image reference [registry/]repository[:tag][@sha256:digest] "
                "with a lowercase repository, e.g. 'kasmweb/desktop:1.16.0'",
            )
        domain = None if match["domain"] == _HUB and not image.startswith(_HUB) else match["domain"]
        return cls(domain, match["path"], match["tag"], match["digest"])

    @property
    def is_kasm(self) -> bool:
        """A kasmweb image, from Docker Hub or a mirror that keeps the ``kasmweb/`` path."""
        parts = self.path.split("/")
        return len(parts) >= 2 and parts[-2] == "kasmweb"

    @property
    def version(self) -> tuple[int, int] | None:
        """``(major, minor)`` read from the tag, e.g. ``(1, 16)`` for ``1.16.0-rolling``."""
        match = _VERSION.match(self.tag or "")
        return (int(match[1]), int(match[2])) if match else None


def profile_for(image: str, parameter: str = "image") -> ImageProfile:
    """The :class:`ImageProfile` of a kasmweb image, from its tag's version. Any other image,
    an unknown version, or a tag without one is a :class:`~kasm_constructs.ConfigurationError`
    naming the image and the known versions: name the profile then (``image_profile=``)."""
    reference = ImageReference.parse(image, parameter)
    known = ", ".join(f"{major}.{minor}" for major, minor in KASM_PROFILES)
    escape = f"or name its profile: image_profile= one of {sorted(PROFILES)}, or an ImageProfile"
    if not reference.is_kasm:
        suggestion = _kasm_lookalike(reference)
        fail(
            parameter,
            image,
            f"the library knows the kasmweb/* images ({known}), not {reference.path!r}"
            + (f"; did you mean {suggestion!r}?" if suggestion else "")
            + "; for another image, say what it needs: image_profile='generic' (a writable "
            "/tmp, no home, no ports) or an ImageProfile",
        )
    version = reference.version
    if version is None:
        fail(
            parameter,
            image,
            f"its tag names no kasmweb version ({known}): pin a version tag (e.g. "
            f"{reference.path}:1.16.0), {escape}",
        )
    if version not in KASM_PROFILES:
        fail(
            parameter,
            image,
            f"kasmweb {version[0]}.{version[1]} is not a version the library knows ({known}): "
            f"check the tag, {escape}",
        )
    return KASM_PROFILES[version]


def profile_named(parameter: str, name: object) -> ImageProfile:
    """The profile ``image_profile=`` names."""
    if name not in PROFILES:
        fail(parameter, name, f"expected one of the profiles {sorted(PROFILES)} or an ImageProfile")
    return PROFILES[str(name)]


def _kasm_lookalike(reference: ImageReference) -> str | None:
    """``kasmweb/chrome:1.16.0`` for ``kasmwbe/chrome:1.16.0``: the path with its namespace
    spelled as kasmweb, when it is close to it."""
    *namespace, name = reference.path.split("/")
    if namespace and difflib.SequenceMatcher(None, namespace[-1], "kasmweb").ratio() >= 0.7:
        tag = f":{reference.tag}" if reference.tag else ""
        return f"kasmweb/{name}{tag}"
    return None
