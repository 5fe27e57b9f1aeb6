"""``RestrictedNamespace``: a Namespace where Pod Security "restricted" is enforced."""

from __future__ import annotations

from collections.abc import Mapping

import cdk8s
import cdk8s_plus_28 as kplus
from constructs import Construct

from kasm_constructs.constructs._tree import place
from kasm_constructs.manifests.grammar import check_annotations, check_dns_label, check_labels, fail
from kasm_constructs.policy.pod_security import LATEST_VERSION, SUPPORTED_VERSIONS

__all__ = ["RestrictedNamespace"]

_PREFIX = "pod-security.kubernetes.io/"


class RestrictedNamespace(kplus.Namespace):
    """A cdk8s-plus ``Namespace`` labelled to enforce, audit and warn Pod Security "restricted".

    The enforce version is pinned, so a cluster upgrade does not change what is admitted;
    audit and warn follow ``latest``, so newer rules show up as warnings first.

    Args:
        scope: The parent construct.
        id: The construct id.
        name: ``metadata.name``. Required.
        enforce_version: The pinned ``enforce-version``, ``"1.NN"``. Default: the newest known
            to :mod:`kasm_constructs.policy.pod_security`.
        labels: Extra labels. Default: none. The ``pod-security.kubernetes.io/*`` labels are
            set by the construct.
        annotations: Extra annotations. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        enforce_version: str = LATEST_VERSION,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
    ) -> None:
        where = place(scope, id)
        check_dns_label("name", name)
        if enforce_version not in SUPPORTED_VERSIONS:
            fail("enforce_version", enforce_version, f"expected one of {SUPPORTED_VERSIONS}")
        extra = check_labels("labels", {} if labels is None else labels)
        for key in extra:
            if key.startswith(_PREFIX):
                fail("labels", key, f"{_PREFIX}* labels are set by the construct")
        all_labels = {
            **extra,
            f"{_PREFIX}enforce": "restricted",
            f"{_PREFIX}enforce-version": f"v{enforce_version}",
            f"{_PREFIX}audit": "restricted",
            f"{_PREFIX}audit-version": "latest",
            f"{_PREFIX}warn": "restricted",
            f"{_PREFIX}warn-version": "latest",
        }
        metadata = cdk8s.ApiObjectMetadata(
            name=name,
            labels=all_labels,
            annotations=check_annotations(
                "annotations", {} if annotations is None else annotations
            ),
        )
        where.add(lambda: kplus.Namespace.__init__(self, scope, id, metadata=metadata))
        where.claim([("Namespace", name)])
        if where.namespace:
            # A Namespace is cluster-scoped: it takes no namespace from the chart.
            cdk8s.ApiObject.of(self).add_json_patch(cdk8s.JsonPatch.remove("/metadata/namespace"))
