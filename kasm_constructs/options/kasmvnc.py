"""KasmVNC, the desktop server in the kasmweb images: which options the library writes, since
which version, and how they reach the server. The one place that knows KasmVNC's options.

How an option reaches KasmVNC in the kasmweb images:

- [vnc] kasmtech/workspaces-core-images ``src/common/startup_scripts/vnc_startup.sh``
  (release/1.14.0 L141-143, 1.15.0 L169-171, 1.16.0 L174) passes ``$VNCOPTIONS`` to
  ``vncserver``, after its own options and before ``$KASM_SVC_SEND_CUT_TEXT
  $KASM_SVC_ACCEPT_CUT_TEXT``; ``-FrameRate=$MAX_FRAME_RATE`` is on the same line.
- [server] kasmtech/KasmVNC v1.3.2 ``unix/vncserver`` L1011-1020, L1055-1065, L2858-2882: an
  option given on the command line as two words, ``-Name value``, replaces the one
  ``kasmvnc.yaml`` would add; written ``-Name=value`` it does not (the yaml's is appended after
  it, and Xvnc keeps the last: ``unix/xserver/hw/vnc/xvnc.c`` L811-831). Checked with
  ``vncserver -dry-run``. So every option here is written as two words.
- [params] ``common/rfb/ServerCore.cxx`` and ``unix/xserver/hw/vnc/vncExtInit.cc`` of v1.2.1
  (the 1.14 images), v1.3.1 (1.15) and v1.3.2 (1.16) define every option below; the watermark
  text options come with v1.2.0, its angle with v1.3.0 (each tag's ``ServerCore.cxx``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = [
    "OPTIONS",
    "OPTIONS_VARIABLE",
    "KasmVncOption",
    "written",
]

#: The environment variable the images' start script passes to ``vncserver`` [vnc].
OPTIONS_VARIABLE: Final = "VNCOPTIONS"

Version = tuple[int, int, int]


@dataclass(frozen=True)
class KasmVncOption:
    """One Xvnc option: its name (as Xvnc spells it) and the KasmVNC version that has it."""

    flag: str
    since: Version

    def available(self, version: Version) -> bool:
        """Whether KasmVNC ``version`` has this option."""
        return version >= self.since


def _option(flag: str, since: Version = (1, 2, 1)) -> KasmVncOption:
    return KasmVncOption(flag, since)


#: Every option the library writes, by what it does [params]. The earliest version named is the
#: oldest the images install (1.2.1), unless the option is younger.
OPTIONS: Final[Mapping[str, KasmVncOption]] = MappingProxyType(
    {
        # serve a given certificate: vncExtInit.cc "cert", "key"
        "cert": _option("-cert"),
        "key": _option("-key"),
        # no password at the web port: vncExtInit.cc L102 "DisableBasicAuth"
        "no_password": _option("-disableBasicAuth"),
        # clipboard: ServerCore.cxx "SendCutText", "AcceptCutText", "DLP_ClipSendMax",
        # "DLP_ClipAcceptMax"; vncExtInit.cc "SendPrimary"
        "send_clipboard": _option("-SendCutText"),
        "accept_clipboard": _option("-AcceptCutText"),
        "send_clipboard_max": _option("-DLP_ClipSendMax"),
        "accept_clipboard_max": _option("-DLP_ClipAcceptMax"),
        "send_primary": _option("-SendPrimary"),
        # input: "AcceptKeyEvents", "AcceptPointerEvents"
        "keyboard": _option("-AcceptKeyEvents"),
        "pointer": _option("-AcceptPointerEvents"),
        # frame rate: ServerCore.cxx "FrameRate"
        "max_frame_rate": _option("-FrameRate"),
        # sessions: "IdleTimeout", "MaxDisconnectionTime", "MaxConnectionTime", "MaxIdleTime"
        "idle_timeout": _option("-IdleTimeout"),
        "no_user_timeout": _option("-MaxDisconnectionTime"),
        "connected_timeout": _option("-MaxConnectionTime"),
        "inactive_timeout": _option("-MaxIdleTime"),
        # watermark: "DLP_WatermarkText" (1.2.0), "DLP_WatermarkTextAngle" (1.3.0)
        "watermark_text": _option("-DLP_WatermarkText", (1, 2, 0)),
        "watermark_text_angle": _option("-DLP_WatermarkTextAngle", (1, 3, 0)),
        "watermark_image": _option("-DLP_WatermarkImage", (1, 1, 0)),
    }
)


def written(options: Sequence[tuple[str, str]]) -> list[str]:
    """The ``(option, value)`` pairs as ``vncserver`` takes them: two words each, ``-Name
    value``, so a value set here replaces the one ``kasmvnc.yaml`` would add [server]."""
    words: list[str] = []
    for name, value in options:
        words += [OPTIONS[name].flag, value]
    return words
