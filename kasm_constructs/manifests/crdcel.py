"""A CRD's ``x-kubernetes-validations`` rules, evaluated with ``cel-expr-python``.

``cel-expr-python`` (``pip install 'kasm-constructs[cel]'``) wraps cel-cpp, the C++ CEL
implementation of the cel-expr organisation that also maintains cel-go, which the API server
runs. It is optional: a 16 MB wheel (50 MB installed), glibc, macOS and Windows wheels only, a
0.1 release. Without it the rules are counted and reported as not evaluated.

The API server's environment (k8s.io/apiserver ``pkg/cel/environment/base.go``) has the CEL
standard library, the strings and optional-types extensions and Kubernetes' own libraries; this
one has the standard library, the strings, optional-types, bindings, math and encoders
extensions. A rule that calls a function it lacks (the Kubernetes list, regex ``find``, URL,
IP, CIDR, quantity, semver or format libraries, two-variable comprehensions) fails to compile
and is reported as not evaluated, with the compiler's message; none of the pinned CRDs' 495
rules does (``tests/test_validate.py`` holds that). Extra functions cannot make a rule pass
that the API server fails: the API server compiled every rule when it accepted the CRD.

``self`` is declared ``dyn``, where the API server types it from the schema: the same results
for rules the API server has already type-checked. Cost budgets are not enforced. Transition
rules (``oldSelf``) apply to updates only and are not evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["CelRules", "Outcome", "rule_message"]

#: A rule's outcome: True (it holds), False (it fails), or the evaluation error, which the API
#: server treats as a failure.
Outcome = bool | str

_TRANSITION: Final = re.compile(r"\boldSelf\b")


class CelRules:
    """Compiles and evaluates rules; raises ImportError when cel-expr-python is missing."""

    def __init__(self) -> None:
        # Optional dependencies, imported only by a validator that evaluates rules.
        from cel_expr_python import cel  # noqa: PLC0415
        from cel_expr_python.ext import (  # noqa: PLC0415
            ext_bindings,
            ext_encoders,
            ext_math,
            ext_optional,
            ext_strings,
        )

        self._bool: Any = cel.Type.BOOL
        self._error: Any = cel.Type.ERROR
        extensions = [
            ext_strings.ExtStrings(),
            ext_optional.ExtOptional(),
            ext_bindings.ExtBindings(),
            ext_math.ExtMath(),
            ext_encoders.ExtEncoders(),
        ]
        self._env: Any = cel.NewEnv(variables={"self": cel.Type.DYN}, extensions=extensions)
        # rule -> its compiled program, or why it cannot be evaluated
        self._compiled: dict[str, Any] = {}

    def unsupported(self, rule: str) -> str | None:
        """Why ``rule`` cannot be evaluated here, or None when it can."""
        compiled = self._compile(rule)
        return compiled if isinstance(compiled, str) else None

    def evaluate(self, rule: str, value: Any) -> Outcome:
        """``rule`` with ``self`` bound to ``value`` (as :func:`structural.cel_value` makes it);
        the rule must be supported."""
        program = self._compile(rule)
        if isinstance(program, str):
            raise ValueError(f"the rule cannot be evaluated: {program}")
        try:
            result = program.eval(data={"self": value})
        except (RuntimeError, TypeError, ValueError) as error:
            return str(error) or type(error).__name__
        if result.type() == self._error:
            return str(result.value())
        if result.type() != self._bool:
            return f"it returned a value of type {result.type().name().lower()}, not a bool"
        return bool(result.value())

    def _compile(self, rule: str) -> Any:
        if rule not in self._compiled:
            if _TRANSITION.search(rule):
                self._compiled[rule] = "a transition rule (oldSelf): it applies to updates only"
            else:
                try:
                    self._compiled[rule] = self._env.compile(rule)
                except RuntimeError as error:
                    self._compiled[rule] = f"does not compile: {_first_line(error)}"
        return self._compiled[rule]


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def rule_message(validation: Mapping[str, Any]) -> str:
    """What a failing rule says: its ``message``, else the API server's own wording."""
    message = validation.get("message")
    if isinstance(message, str) and message:
        return message
    return f"failed rule: {validation.get('rule')}"
