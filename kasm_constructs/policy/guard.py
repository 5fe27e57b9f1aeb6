"""The guard: judges a workspace's workload exactly as it is written.

``judge(manifest, policy)`` is pure. ``_kplus`` calls it from the workload's ``to_json``, the
method cdk8s calls to write the object, so what is judged is what is written: once per write,
with every JSON patch and every cdk8s-plus addition in it. A refusal is a :class:`SynthRefusedError`
(a ``RuntimeError``) whose message starts with :data:`REFUSED`.

A refusal reaches the user as one message, with no stack, when the app runs inside
:func:`kasm_constructs.clean_errors`; nothing here installs a hook.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kasm_constructs.errors import REFUSED, SynthRefusedError
from kasm_constructs.manifests.yamlwrite import misreadings
from kasm_constructs.policy import apiserver
from kasm_constructs.policy.pod_security import (
    EXEMPTION_ANNOTATION,
    PodSecurityExemption,
    Violation,
    evaluate_exempted,
    exemption_annotations,
    overriding_check,
)

__all__ = ["Policy", "judge", "refusal"]


@dataclass(frozen=True)
class Policy:
    """What one workspace's guard enforces."""

    #: The workspace's construct path, which every message names.
    path: str
    #: Pod Security policy version, ``"1.NN"``.
    version: str
    #: Check id -> exemption: the Pod Security checks accepted on purpose.
    exemptions: Mapping[str, PodSecurityExemption]

    def message(self, text: str) -> str:
        return f'HardenedWorkspace "{self.path}": {text}'


def judge(manifest: Mapping[str, Any], policy: Policy, problems: Sequence[str] = ()) -> list[str]:
    """One message per problem in the workload ``manifest`` that is not exempted, after the
    ``problems`` already found while it was put together."""
    errors = [policy.message(problem) for problem in problems]
    template = manifest.get("spec", {}).get("template", {})
    containers = template.get("spec", {}).get("containers", [])
    if isinstance(containers, list) and len(containers) > 1:
        errors.append(
            policy.message(
                f"the workspace runs one container; {len(containers) - 1} more were added "
                "through the cdk8s-plus API. Run them in their own workload."
            )
        )
    errors += [policy.message(problem) for problem in apiserver.problems(manifest)]
    errors += [policy.message(f"field {text}") for text in misreadings(manifest)]
    errors += [policy.message(text) for text in _exemptions_as_written(manifest, policy)]
    refused, _ = evaluate_exempted(manifest, policy.exemptions, policy.version)
    for v in refused:
        where = f'container "{v.container}", ' if v.container else ""
        errors.append(
            policy.message(
                f'{where}field {v.field}: violates Pod Security "restricted" '
                f"(v{policy.version}) rule {v.check}: {v.message}. {_how_to_accept(v, policy)}"
            )
        )
    return errors


def _exemptions_as_written(manifest: Mapping[str, Any], policy: Policy) -> list[str]:
    """An exemption annotation written other than from ``pod_security_exemptions`` (by a JSON
    patch, or through the cdk8s-plus API): the guard did not judge by it, yet the audit would
    honour it."""
    expected = exemption_annotations(policy.exemptions)
    metadata = manifest.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
    written = {
        key: value
        for key, value in (annotations or {}).items()
        if isinstance(key, str) and key.startswith(EXEMPTION_ANNOTATION)
    }
    return [
        f"field metadata.annotations[{key}]: exemption annotations are written from "
        "pod_security_exemptions= only; one added or changed another way would make the audit "
        "accept what the guard did not"
        for key in sorted(set(written) | set(expected))
        if written.get(key) != expected.get(key)
    ]


def _how_to_accept(v: Violation, policy: Policy) -> str:
    """How to accept ``v``, or why the exemption given does not."""
    named = f"allow={json.dumps(list(v.values))}" if v.values else ""
    own = policy.exemptions.get(v.check)
    parent = overriding_check(v.check)
    if parent in policy.exemptions:
        return f"Exempting {parent} does not relax the baseline check {v.check}" + (
            f"; to accept this, name it: PodSecurityExemption(<reason>, {named})." if named else "."
        )
    if own is not None:
        return f"The exemption of {v.check} allows only {list(own.allow)}" + (
            f"; to accept this too, add {list(v.values)}." if named else "; this is beyond it."
        )
    example = f'PodSecurityExemption("<reason>", {named})' if named else '"<reason>"'
    return f'To accept it, pass pod_security_exemptions={{"{v.check}": {example}}}.'


def refusal(errors: Sequence[str]) -> SynthRefusedError:
    """The exception that refuses a write, listing ``errors``."""
    return SynthRefusedError(f"{REFUSED}:\n  " + "\n  ".join(errors))
