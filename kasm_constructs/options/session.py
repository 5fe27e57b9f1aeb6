"""``SessionPolicy``: KasmVNC's session and data-loss-prevention controls, as typed values.

Each field is named after its key in KasmVNC's ``kasmvnc.yaml`` (``unix/kasmvnc_defaults.yaml``
of kasmtech/KasmVNC v1.3.2, the 1.16 images' version) and written as the Xvnc option that key
becomes (``unix/vncserver`` L1488-2231), through ``VNCOPTIONS``, two words each
(:mod:`kasm_constructs.options.kasmvnc` has each option, its source and the version that has
it). Why flags and not a mounted ``kasmvnc.yaml``: the images' start script passes
``$VNCOPTIONS`` to ``vncserver`` already, and a flag given as two words replaces the yaml's
value; a mounted file would have to restate the image's own ``/etc/kasmvnc/kasmvnc.yaml``,
which differs per image version, and the home a ``~/.vnc/kasmvnc.yaml`` lives in may be a
claim the user owns.

Sources (kasmtech/KasmVNC v1.3.2 unless said otherwise):

- [yaml] ``unix/kasmvnc_defaults.yaml`` L35, L45, L84-92, L109, L147-149: the keys and defaults;
- [map] ``unix/vncserver`` L1488 (IdleTimeout), L1528 (AcceptPointerEvents), L1659-1704
  (SendCutText, DLP_ClipSendMax, SendPrimary, AcceptCutText, DLP_ClipAcceptMax), L1722
  (AcceptKeyEvents), L1749 (DLP_WatermarkImage), L1793 (DLP_WatermarkText), L1895
  (FrameRate), L2211-2231 (MaxDisconnectionTime, MaxConnectionTime, MaxIdleTime);
- [man] ``unix/xserver/hw/vnc/Xvnc.man`` L489-507: timeouts in seconds, 0 is never;
- [line] kasmtech/workspaces-core-images release/1.16.0 ``vnc_startup.sh`` L174:
  ``-FrameRate=$MAX_FRAME_RATE ... $VNCOPTIONS $KASM_SVC_SEND_CUT_TEXT
  $KASM_SVC_ACCEPT_CUT_TEXT``, unquoted: the cut-text variables come last and would undo the
  clipboard settings, and the ``=`` form of ``-FrameRate`` loses to the yaml's value (only the
  two-word form replaces it: ``unix/vncserver`` L1011-1020, L2858-2882), so the frame rate is
  written as ``-FrameRate <n>`` too;
- [rate] ``common/rfb/ConnParams.cxx`` L329-333: the web client may ask for 10 to 60 frames a
  second while connected, so ``max_frame_rate`` is where a session starts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from kasm_constructs.manifests.grammar import check_absolute_path, check_int, check_str, fail
from kasm_constructs.options.forms import Form, Record

__all__ = ["SESSION_VARIABLES", "SessionPolicy"]

#: The image variables a policy decides; a workspace's ``env`` may not set them beside one
#: [line].
SESSION_VARIABLES = (
    "VNCOPTIONS",
    "MAX_FRAME_RATE",
    "KASM_SVC_SEND_CUT_TEXT",
    "KASM_SVC_ACCEPT_CUT_TEXT",
)
#: Field -> the KasmVNC option it is written as (:data:`kasmvnc.OPTIONS` keys).
_OPTION = {
    "server_to_client_clipboard": "send_clipboard",
    "server_to_client_clipboard_size": "send_clipboard_max",
    "client_to_server_clipboard": "accept_clipboard",
    "client_to_server_clipboard_size": "accept_clipboard_max",
    "primary_clipboard": "send_primary",
    "keyboard": "keyboard",
    "pointer": "pointer",
    "max_frame_rate": "max_frame_rate",
    "idle_timeout": "idle_timeout",
    "no_user_session_timeout": "no_user_timeout",
    "active_user_session_timeout": "connected_timeout",
    "inactive_user_session_timeout": "inactive_timeout",
    "watermark_text": "watermark_text",
    "watermark_text_angle": "watermark_text_angle",
    "watermark_image": "watermark_image",
}
#: What ``$VNCOPTIONS``, expanded unquoted, would split or expand [line].
_UNSAFE = frozenset(" \t\n*?[")


@dataclass(frozen=True, kw_only=True)
class SessionPolicy:
    """KasmVNC's controls for a desktop's session. Every field defaults to ``None``: the
    image's own setting (KasmVNC's default). The library sets none of them for you: which
    clipboard a team may use is the team's decision (``docs/lifecycle.md`` gives a locked-down
    starting point, :meth:`locked_down`).

    Args:
        server_to_client_clipboard: Copy from the desktop to the person's computer
            (``-SendCutText``).
        server_to_client_clipboard_size: At most this many bytes per copy out
            (``-DLP_ClipSendMax``).
        client_to_server_clipboard: Paste from the person's computer into the desktop
            (``-AcceptCutText``).
        client_to_server_clipboard_size: At most this many bytes per paste in
            (``-DLP_ClipAcceptMax``).
        primary_clipboard: Send the X primary selection too (``-SendPrimary``).
        keyboard: Accept key presses (``-AcceptKeyEvents``); ``False``: view only.
        pointer: Accept the mouse (``-AcceptPointerEvents``).
        max_frame_rate: Frames a second a session starts at (``-FrameRate``, and the image's
            ``MAX_FRAME_RATE``); the web client may change it while connected.
        idle_timeout: Seconds without input before the connection is dropped (the desktop
            keeps running) (``-IdleTimeout``).
        no_user_session_timeout: Seconds without anybody connected before KasmVNC exits
            (``-MaxDisconnectionTime``).
        active_user_session_timeout: Seconds after somebody connected before KasmVNC exits
            (``-MaxConnectionTime``).
        inactive_user_session_timeout: Seconds without input before KasmVNC exits
            (``-MaxIdleTime``).
        watermark_text: A text drawn over the desktop (``-DLP_WatermarkText``; strftime
            formats and ``${VAR}`` of the environment are filled in). No spaces: the image's
            start script splits ``VNCOPTIONS`` on them.
        watermark_text_angle: The text's angle in degrees, -359 to 359
            (``-DLP_WatermarkTextAngle``; KasmVNC 1.3.0 and later: the 1.15 and 1.16 images).
        watermark_image: A PNG in the container drawn over the desktop
            (``-DLP_WatermarkImage``); not with ``watermark_text``.

    When KasmVNC exits (the three session timeouts), the image's start script restarts it
    (``KASMVNC_AUTO_RECOVER``): the session ends, the pod stays.
    """

    server_to_client_clipboard: bool | None = None
    server_to_client_clipboard_size: int | None = None
    client_to_server_clipboard: bool | None = None
    client_to_server_clipboard_size: int | None = None
    primary_clipboard: bool | None = None
    keyboard: bool | None = None
    pointer: bool | None = None
    max_frame_rate: int | None = None
    idle_timeout: int | None = None
    no_user_session_timeout: int | None = None
    active_user_session_timeout: int | None = None
    inactive_user_session_timeout: int | None = None
    watermark_text: str | None = None
    watermark_text_angle: int | None = None
    watermark_image: str | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            parameter = f"SessionPolicy({item.name})"
            if value is None:
                continue
            if item.type == "bool | None" and not isinstance(value, bool):
                fail(parameter, value, "expected True, False or None")
            elif item.name == "watermark_text_angle":
                check_int(parameter, value, minimum=-359, maximum=359)
            elif item.type == "int | None":
                maximum = 60 if item.name == "max_frame_rate" else 2**31 - 1
                check_int(parameter, value, minimum=1, maximum=maximum)
            elif item.type == "str | None":
                text = check_str(parameter, value, max_length=256)
                if _UNSAFE & set(text) or not text.isprintable() or not text.isascii():
                    fail(
                        parameter,
                        value,
                        "expected printable ASCII without spaces, '*', '?' or '[': the image's "
                        "start script expands VNCOPTIONS unquoted",
                    )
        if self.watermark_text_angle is not None and self.watermark_text is None:
            fail(
                "SessionPolicy(watermark_text_angle)",
                self.watermark_text_angle,
                "the angle of a watermark_text: give the text too",
            )
        if self.watermark_image is not None:
            check_absolute_path("SessionPolicy(watermark_image)", self.watermark_image)
            if self.watermark_text is not None:
                fail(
                    "SessionPolicy(watermark_image)",
                    self.watermark_image,
                    "KasmVNC draws a watermark text or an image, not both",
                )

    @classmethod
    def roster_form(cls) -> Form:
        """In a roster: the fields by name."""
        return Record.of(cls)

    @classmethod
    def locked_down(cls) -> SessionPolicy:
        """A starting point for desktops that must not leak data: nothing copied out of the
        desktop, pastes in up to 64 KiB, no primary selection, connections dropped after 15
        idle minutes and sessions ended after 8 hours without input."""
        return cls(
            server_to_client_clipboard=False,
            client_to_server_clipboard_size=65536,
            primary_clipboard=False,
            idle_timeout=900,
            inactive_user_session_timeout=8 * 3600,
        )

    def options(self) -> list[tuple[str, str]]:
        """The KasmVNC options (``kasmvnc.OPTIONS`` key, value) this policy sets, in field
        order."""
        written = []
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None:
                continue
            text = ("1" if value else "0") if isinstance(value, bool) else str(value)
            written.append((_OPTION[item.name], text))
        return written
