"""The library's errors, and :func:`clean_errors`, which shows them as one message.

- :class:`ConfigurationError` (a ``ValueError``): an argument is wrong. Raised while a construct
  is made, before anything is added to the tree; it names the parameter, shows the value (never
  a credential's) and says what is allowed.
- :class:`RosterError` (a ``ValueError``): every mistake in a roster file, each with its line.
- :class:`SynthRefusedError` (a ``RuntimeError``): the guard refused a workload as it was
  written (``cdk8s synth``), listing every reason.

Nothing here changes global state: no exception hook is installed. An app that wants a clean
message instead of a Python (and jsii) stack wraps its building and synthesis in
:func:`clean_errors`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

__all__ = [
    "REFUSED",
    "ConfigurationError",
    "FleetError",
    "RosterError",
    "SynthRefusedError",
    "clean_errors",
    "refusal_message",
]

#: The first words of every refusal of the guard.
REFUSED = "kasm-constructs refused to synthesize"


class ConfigurationError(ValueError):
    """A construct argument is invalid. Raised at construction, before anything is rendered.

    ``parameter`` names the argument (e.g. ``"ports['vnc']"``), ``value`` is what was given
    (a stand-in where it may be a credential), ``allowed`` says what would be accepted.
    """

    __module__ = "kasm_constructs"

    def __init__(self, parameter: str, value: object, allowed: str) -> None:
        self.parameter = parameter
        self.value = value
        self.allowed = allowed
        super().__init__(f"{parameter}: got {value!r}; {allowed}")


class FleetError(ConfigurationError):
    """Every mistake in a fleet's options, at once (a :class:`ConfigurationError` for the first,
    whose message lists them all). ``errors`` holds one :class:`ConfigurationError` per mistake,
    its parameter saying where, e.g. ``presets['chrome'].requests['cpu']``; ``located``, each
    as found: the keys of its place, e.g. ``("presets", "chrome")``, and the error there."""

    __module__ = "kasm_constructs"

    def __init__(
        self,
        errors: Sequence[ConfigurationError],
        located: Sequence[tuple[tuple[str, ...], ConfigurationError]],
    ) -> None:
        first = errors[0]
        super().__init__(first.parameter, first.value, first.allowed)
        self.errors = list(errors)
        self.located = list(located)
        if len(errors) > 1:
            self.args = ("\n".join(str(error) for error in errors),)

    def __str__(self) -> str:
        return str(self.args[0])


class RosterError(ValueError):
    """Every mistake in a roster file. ``problems`` holds ``(line, field, message)``, one per
    mistake, in the order of the file."""

    __module__ = "kasm_constructs"

    def __init__(self, file: str, problems: Sequence[tuple[int, str, str]]) -> None:
        self.file = file
        self.problems = sorted(problems)
        count = f"{len(problems)} mistake{'s' * (len(problems) != 1)}"
        lines = [f"{file}:{line}: {field}: {message}" for line, field, message in self.problems]
        super().__init__(f"{file}: {count}:\n  " + "\n  ".join(lines))


class SynthRefusedError(RuntimeError):
    """A workload that the guard does not let through. Its message starts with
    :data:`REFUSED` and lists every reason."""

    __module__ = "kasm_constructs"


def refusal_message(error: BaseException) -> str | None:
    """The guard's refusal in ``error``, as its message alone, or ``None`` if ``error`` is not
    one. A refusal raised while cdk8s writes the manifests (inside ``app.synth()``) crosses the
    jsii bridge twice and comes back as a ``RuntimeError`` whose message holds ours, followed by
    the JavaScript stack of the call it crossed; that stack is cut off."""
    text = str(error)
    start = text.find(REFUSED)
    if not isinstance(error, RuntimeError) or start < 0:
        return None
    message = text[start:]
    # jsii appends the JavaScript stack ("\n    at ...") after the message it carried.
    lines = message.split("\n")
    kept = [line for line in lines if not line.lstrip().startswith("at ")]
    return "\n".join(kept).rstrip()


@contextmanager
def clean_errors(stream: TextIO | None = None) -> Iterator[None]:
    """Show the library's own errors as one message, without a Python or jsii stack, and exit
    with status 1. Every other exception passes through unchanged::

        with kasm_constructs.clean_errors():
            app = cdk8s.App()
            build(app)
            app.synth()

    ``stream``: where the message goes. Default: standard error.
    """
    try:
        yield
    except (ConfigurationError, RosterError) as error:
        print(f"kasm-constructs: {error}", file=stream or sys.stderr)
        raise SystemExit(1) from None
    except RuntimeError as error:
        message = refusal_message(error)
        if message is None:
            raise
        print(message, file=stream or sys.stderr)
        raise SystemExit(1) from None
