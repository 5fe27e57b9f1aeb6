"""The person boundary of a fleet: no one reaches, borrows or poses as another person's desktop.
Pure checks over what a fleet's plan decided; each finding is a mistake of the roster.

- the access path (the ingress controller's or the gateway's proxies) is admitted to each
  desktop by namespace *and* pod labels, and that peer must not select a desktop;
- no label set on a desktop's pods uses a key of the access path's pod selector, so no desktop
  can pose as the gateway;
- hosts are unique across the fleet;
- a Secret rendered for one person (from a ``{user}`` pattern) is referenced by that person only,
  and no shared Secret of a preset has the name of one person's;
- a preset's ServiceAccount is not a person's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kasm_constructs.manifests.grammar import fail
from kasm_constructs.options.network import NetworkPeer

__all__ = [
    "NAMESPACE_NAME_LABEL",
    "Claims",
    "admits_pods_only",
    "peer_label_keys",
    "peer_selects",
    "refuse_open_front",
]

#: The label every namespace carries with its own name (Kubernetes 1.22+).
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class Claims:
    """What one person's pods use that may belong to someone: Secrets rendered for them, shared
    Secrets of their preset, the ServiceAccount they run as, their host."""

    user: str
    own_secrets: frozenset[str]
    shared_secrets: frozenset[str]
    service_account: str | None
    host: str | None


def _namespaces(peer: NetworkPeer) -> frozenset[str] | None:
    """The namespaces a peer's namespaceSelector names, or ``None`` when it may select any
    (a selector on other labels, expressions, or ``{}``). A peer without one selects pods of
    the policy's own namespace: the empty set stands for that."""
    selector = peer.rendered.get("namespaceSelector")
    if selector is None:
        return frozenset()
    labels = dict(selector.get("matchLabels") or {})
    if set(labels) == {NAMESPACE_NAME_LABEL} and not selector.get("matchExpressions"):
        return frozenset({labels[NAMESPACE_NAME_LABEL]})
    return None


def peer_selects(
    peer: NetworkPeer, namespace: str, pod_labels: Iterable[Mapping[str, str]]
) -> bool:
    """Whether ``peer`` may select a pod carrying one of ``pod_labels`` in ``namespace``."""
    if "ipBlock" in peer.rendered:
        return False
    namespaces = _namespaces(peer)
    if namespaces is not None and namespaces and namespace not in namespaces:
        return False
    selector = peer.rendered.get("podSelector")
    if selector is None or selector.get("matchExpressions"):
        return True
    wanted = dict(selector.get("matchLabels") or {})
    return any(all(labels.get(k) == v for k, v in wanted.items()) for labels in pod_labels)


def peer_label_keys(peer: NetworkPeer) -> frozenset[str]:
    """The pod label keys ``peer`` selects by."""
    selector = peer.rendered.get("podSelector") or {}
    keys = set(selector.get("matchLabels") or {})
    keys |= {str(e.get("key")) for e in selector.get("matchExpressions") or ()}
    return frozenset(keys)


def admits_pods_only(peer: NetworkPeer) -> bool:
    """Whether ``peer`` admits chosen pods only (selected by pod labels), not every pod of a
    namespace or addresses: what may front a desktop without a password."""
    return bool(peer_label_keys(peer)) and "ipBlock" not in peer.rendered


def refuse_open_front(parameter: str, peer: NetworkPeer) -> None:
    """Refuse ``peer`` in front of a desktop without a password unless it admits pods only."""
    if not admits_pods_only(peer):
        fail(
            parameter,
            peer.render(),
            "SignIn(vnc_password=False) gives whoever reaches a desktop's web port the "
            "desktop: admit the proxy's pods only, by pod labels "
            "(NetworkPeer.from_pod_labels({...}, namespace=...))",
        )
