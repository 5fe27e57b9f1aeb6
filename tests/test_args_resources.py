"""Bad input: resource requests and limits. Checked by tests/test_args.py (the checks:
tests/argument_cases.py)."""

from __future__ import annotations

import re

from tests.argument_cases import (
    Case,
    bad,
    ws,
)

CASES: list[Case] = [
    *[
        bad(
            f"{kind}-{resource}-{label}",
            ws(**{kind: {**default, resource: quantity}}),
            f"{kind}[{resource!r}]",
            quantity,
        )
        for kind, default in (
            ("requests", {"cpu": "1", "memory": "2Gi"}),
            ("limits", {"cpu": "2", "memory": "4Gi"}),
        )
        for resource, label, quantity in (
            ("memory", "space", "2 Gi"),
            ("cpu", "word", "abc"),
            ("cpu", "two-dots", "1.2.3"),
            ("memory", "bad-suffix", "1KB"),
            ("cpu", "negative", "-1"),
            ("memory", "empty", ""),
        )
    ],
    # A suffix 'e'/'eX' without an exponent is not a quantity: refused naming the parameter, not
    # with a bare ValueError from int('').
    bad("requests-cpu-bare-exponent", ws(requests={"cpu": "1e"}), "requests['cpu']", "1e"),
    bad(
        "limits-memory-bare-exponent",
        ws(limits={"cpu": "2", "memory": "4ex"}),
        "limits['memory']",
        "4ex",
    ),
    *[
        bad(
            f"{kind}-key-{resource or 'empty'}",
            ws(**{kind: {resource: "1"}}),
            f"{kind} key",
            resource,
        )
        for kind in ("requests", "limits")
        for resource in ("gpu", "CPU", "storage", "nvidia.com/", "")
    ],
    # Not an extended resource: the API server refuses non-standard kubernetes.io resources.
    bad(
        "requests-key-kubernetes-io",
        ws(
            requests={"cpu": "1", "memory": "2Gi", "kubernetes.io/gpu": "1"},
            limits={"cpu": "2", "memory": "4Gi", "kubernetes.io/gpu": "1"},
        ),
        "requests key",
        "kubernetes.io/gpu",
        "not in the kubernetes.io domain",
    ),
    bad("requests-list", ws(requests=["cpu"]), "requests", ["cpu"]),
    bad("requests-empty-str", ws(requests=""), "requests", ""),
    bad("limits-str", ws(limits="4Gi"), "limits", "4Gi"),
    bad(
        "request-cpu-above-limit",
        ws(requests={"cpu": "3", "memory": "2Gi"}, limits={"cpu": "2", "memory": "4Gi"}),
        "requests['cpu']",
        "3",
        re.escape("limits['cpu'] = '2'"),
    ),
    bad(
        "request-memory-above-limit",
        ws(requests={"cpu": "1", "memory": "8Gi"}, limits={"cpu": "2", "memory": "4Gi"}),
        "requests['memory']",
        "8Gi",
        re.escape("limits['memory'] = '4Gi'"),
    ),
    bad(
        "request-cpu-above-default-limit",
        ws(requests={"cpu": "3"}),
        "requests['cpu']",
        "3",
        re.escape("limits['cpu'] (the default) = '2'"),
    ),
    bad(
        "request-memory-above-default-limit",
        ws(requests={"memory": "5Gi"}),
        "requests['memory']",
        "5Gi",
        re.escape("limits['memory'] (the default) = '4Gi'"),
    ),
    bad(
        "request-cpu-default-above-limit",
        ws(limits={"cpu": "500m", "memory": "4Gi"}),
        "requests['cpu'] (the default)",
        "1",
        re.escape("limits['cpu'] = '500m'"),
    ),
    bad(
        "request-memory-default-above-limit",
        ws(limits={"cpu": "2", "memory": "1Gi"}),
        "requests['memory'] (the default)",
        "2Gi",
        re.escape("limits['memory'] = '1Gi'"),
    ),
    bad(
        # The derived request: the disk-backed emptyDirs (/tmp 1Gi, /var/run/pulse 64Mi, the
        # home 4Gi).
        "request-ephemeral-storage-derived-above-limit",
        ws(limits={"cpu": "2", "memory": "4Gi", "ephemeral-storage": "1Gi"}),
        "requests['ephemeral-storage'] (the default)",
        "5184Mi",
        re.escape("limits['ephemeral-storage'] = '1Gi'"),
    ),
    bad(
        "extended-resource-fraction",
        ws(limits={"cpu": "2", "memory": "4Gi", "nvidia.com/gpu": "0.5"}),
        "limits['nvidia.com/gpu']",
        "0.5",
        "whole numbers",
    ),
    bad(
        "extended-resource-without-limit",
        ws(requests={"cpu": "1", "memory": "2Gi", "nvidia.com/gpu": "1"}),
        "requests['nvidia.com/gpu']",
        "1",
        "equal limit",
    ),
]
