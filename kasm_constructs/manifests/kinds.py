"""Kubernetes kinds as data: which are cluster-scoped, which API groups are built in, which
kinds never run a pod, and the apiVersion of every kind the library writes. One place each.

Sources:

- [api] the Kubernetes 1.32 API reference (kubernetes.io/docs/reference/kubernetes-api/), and
  ``kubectl api-resources`` of a 1.32 cluster: scope and group of each built-in kind;
- [crds] the pinned CustomResourceDefinitions (``spec.scope``, ``spec.versions[].storage``):
  Gateway API v1.5.1, cert-manager v1.21.1, Envoy Gateway v1.9.0, KEDA v2.20.2.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "API_VERSIONS",
    "BUILTIN_GROUPS",
    "BUILT_IN_KINDS_WITHOUT_PODS",
    "CLUSTER_SCOPED_KINDS",
    "KINDS_WITHOUT_PODS",
    "api_version",
]

#: API groups every cluster serves [api]; any other group needs a CustomResourceDefinition (or
#: an aggregated API) and, usually, a controller.
BUILTIN_GROUPS: Final = frozenset(
    {
        "",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "apps",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "autoscaling",
        "batch",
        "certificates.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "events.k8s.io",
        "flowcontrol.apiserver.k8s.io",
        "internal.apiserver.k8s.io",
        "networking.k8s.io",
        "node.k8s.io",
        "policy",
        "rbac.authorization.k8s.io",
        "resource.k8s.io",
        "scheduling.k8s.io",
        "storage.k8s.io",
        "storagemigration.k8s.io",
    }
)
#: Kinds without a namespace: the built-in ones [api] and those of the pinned CRDs [crds].
CLUSTER_SCOPED_KINDS: Final = frozenset(
    {
        "APIService",
        "CertificateSigningRequest",
        "ClusterIssuer",
        "ClusterRole",
        "ClusterRoleBinding",
        "ComponentStatus",
        "CSIDriver",
        "CSINode",
        "CustomResourceDefinition",
        "DeviceClass",
        "FlowSchema",
        "GatewayClass",
        "IngressClass",
        "IPAddress",
        "MutatingAdmissionPolicy",
        "MutatingAdmissionPolicyBinding",
        "MutatingWebhookConfiguration",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PriorityClass",
        "PriorityLevelConfiguration",
        "RuntimeClass",
        "ServiceCIDR",
        "StorageClass",
        "StorageVersionMigration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
        "VolumeAttachment",
        "VolumeAttributesClass",
    }
)

#: The built-in kinds that never run a pod, by API group [api].
BUILT_IN_KINDS_WITHOUT_PODS: Final[Mapping[str, tuple[str, ...]]] = {
    "": (
        "Binding",
        "ComponentStatus",
        "ConfigMap",
        "Endpoints",
        "Event",
        "LimitRange",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "ResourceQuota",
        "Secret",
        "Service",
        "ServiceAccount",
    ),
    "admissionregistration.k8s.io": (
        "MutatingAdmissionPolicy",
        "MutatingAdmissionPolicyBinding",
        "MutatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
    ),
    "apiextensions.k8s.io": ("CustomResourceDefinition",),
    "apiregistration.k8s.io": ("APIService",),
    "apps": ("ControllerRevision",),
    "autoscaling": ("HorizontalPodAutoscaler",),
    "certificates.k8s.io": ("CertificateSigningRequest", "ClusterTrustBundle"),
    "coordination.k8s.io": ("Lease",),
    "discovery.k8s.io": ("EndpointSlice",),
    "events.k8s.io": ("Event",),
    "flowcontrol.apiserver.k8s.io": ("FlowSchema", "PriorityLevelConfiguration"),
    "networking.k8s.io": ("IPAddress", "Ingress", "IngressClass", "NetworkPolicy", "ServiceCIDR"),
    "node.k8s.io": ("RuntimeClass",),
    "policy": ("PodDisruptionBudget",),
    "rbac.authorization.k8s.io": ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"),
    "resource.k8s.io": ("DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"),
    "scheduling.k8s.io": ("PriorityClass",),
    "storage.k8s.io": (
        "CSIDriver",
        "CSINode",
        "CSIStorageCapacity",
        "StorageClass",
        "VolumeAttachment",
        "VolumeAttributesClass",
    ),
}
#: (group, kind) of every built-in kind that never runs a pod.
KINDS_WITHOUT_PODS: Final = frozenset(
    (group, kind) for group, kinds in BUILT_IN_KINDS_WITHOUT_PODS.items() for kind in kinds
)

#: The apiVersion of every kind the library writes [api][crds].
API_VERSIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Deployment": "apps/v1",
        "StatefulSet": "apps/v1",
        "Service": "v1",
        "ServiceAccount": "v1",
        "Namespace": "v1",
        "ResourceQuota": "v1",
        "NetworkPolicy": "networking.k8s.io/v1",
        "Ingress": "networking.k8s.io/v1",
        "PodDisruptionBudget": "policy/v1",
        "HTTPRoute": "gateway.networking.k8s.io/v1",
        "BackendTLSPolicy": "gateway.networking.k8s.io/v1",
        "Certificate": "cert-manager.io/v1",
        "SecurityPolicy": "gateway.envoyproxy.io/v1alpha1",
        "HTTPRouteFilter": "gateway.envoyproxy.io/v1alpha1",
        "ScaledObject": "keda.sh/v1alpha1",
    }
)


def api_version(kind: str) -> str:
    """The apiVersion the library writes ``kind`` with."""
    return API_VERSIONS[kind]
