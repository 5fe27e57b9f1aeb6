"""``SignInProxy``: oauth2-proxy, hardened, for the ingress-nginx path's sign-in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from constructs import Construct

from kasm_constructs._pipeline import render
from kasm_constructs._pipeline import sign_in as sign_in_objects
from kasm_constructs._pipeline.resolve import resolve
from kasm_constructs.constructs._tree import place, public_signature
from kasm_constructs.constructs.ingress import WorkspaceIngress
from kasm_constructs.constructs.workspace import FleetWorkspace, HardenedWorkspace
from kasm_constructs.manifests.grammar import check_labels, fail
from kasm_constructs.options.controllers import IngressController
from kasm_constructs.options.images import OAUTH2_PROXY, OAUTH2_PROXY_IMAGE, OAUTH2_PROXY_USER
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.options.probes import Probe
from kasm_constructs.options.secrets import SecretKeyRef, secret_key_ref
from kasm_constructs.options.sign_in import SignIn, check_allowed

__all__ = ["COOKIE_SECRET_KEY", "SignInProxy"]

#: The key of the client's Secret the proxy's cookie secret is read from by default.
COOKIE_SECRET_KEY = "cookie-secret"


@public_signature
class SignInProxy(Construct):
    """oauth2-proxy at ``host``, where people sign in for every desktop behind it; ingress-nginx
    asks it whether a request may pass (``auth_annotations``). It runs hardened like a desktop
    (Pod Security "restricted", read-only root, no token, as user 65532) and makes:

    - ``workspace``: its :class:`HardenedWorkspace` (Deployment, ServiceAccount, Service,
      NetworkPolicy: in, only the controller's pods on port 4180; out, the cluster DNS and the
      identity provider);
    - ``ingress``: its :class:`WorkspaceIngress` at ``host``.

    Its configuration is its arguments; its secrets come from Secrets: the OIDC client's
    (``sign_in.client_secret``) and the cookie secret (``cookie_secret``: 16, 24 or 32 bytes,
    e.g. ``openssl rand -hex 16``).

    Args:
        scope: The parent construct, inside a ``cdk8s.Chart`` with a namespace.
        id: The construct id.
        sign_in: The sign-in; its ``claim`` must be ``email``. Required.
        host: The host people sign in at: ``sign_in.redirect_host`` (the identity provider
            sends them back to ``https://<host>/oauth2/callback``). Required.
        tls_secret: The Secret with the certificate for ``host``. Required.
        cookie_secret: The cookie secret. Default: the key ``cookie-secret`` of the client's
            Secret.
        name: ``metadata.name`` of its objects. Default: from the construct path.
        labels: Labels of its objects. Default: none.
        ingress_class_name: The Ingress's ``spec.ingressClassName``. Default ``None``.
        controller: The ingress controller. Default ``IngressController.ingress_nginx()``.
        image: The oauth2-proxy image. Default ``quay.io/oauth2-proxy/oauth2-proxy:v7.15.3``.
        replicas: Default 2 (a PodDisruptionBudget keeps one up).
        egress_to: Where the identity provider is, when it runs in the cluster. Default
            ``None``: the internet (``egress_internet=True``).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        sign_in: SignIn,
        host: str,
        tls_secret: str,
        cookie_secret: SecretKeyRef | None = None,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
        ingress_class_name: str | None = None,
        controller: IngressController | None = None,
        image: str = OAUTH2_PROXY_IMAGE,
        replicas: int = 2,
        egress_to: Sequence[NetworkPeer] | None = None,
    ) -> None:
        where = place(scope, id)
        if not isinstance(sign_in, SignIn):
            fail("sign_in", sign_in, "expected SignIn(...)")
        sign_in.check_proxy("sign_in")
        if host != sign_in.redirect_host:
            fail(
                "host",
                host,
                f"the identity provider sends people back to {sign_in.redirect_url!r}: the "
                f"proxy serves sign_in.redirect_host ({sign_in.redirect_host!r})",
            )
        controller = controller or IngressController.ingress_nginx()
        if not isinstance(controller, IngressController) or not controller.external_auth:
            fail("controller", controller, "expected IngressController.ingress_nginx()")
        cookie = (
            SecretKeyRef(sign_in.client_secret.name, COOKIE_SECRET_KEY)
            if cookie_secret is None
            else secret_key_ref("cookie_secret", cookie_secret)
        )
        if where.namespace is None:
            fail("scope", where.path, "the proxy's chart needs a namespace (ingress-nginx asks it)")
        settings = resolve(
            {
                "name": name,
                "image": image,
                "image_profile": OAUTH2_PROXY,
                "replicas": replicas,
                "labels": check_labels("labels", labels or {}),
                "run_as_user": OAUTH2_PROXY_USER,
                "run_as_group": OAUTH2_PROXY_USER,
                "fs_group": OAUTH2_PROXY_USER,
                "args": sign_in_objects.proxy_args(sign_in),
                "secret_env": {
                    "OAUTH2_PROXY_CLIENT_SECRET": sign_in.client_secret,
                    "OAUTH2_PROXY_COOKIE_SECRET": cookie,
                },
                "requests": {"cpu": "50m", "memory": "64Mi"},
                "limits": {"cpu": "500m", "memory": "128Mi", "ephemeral-storage": "64Mi"},
                "readiness_probe": Probe.from_http_get("/ready", "http", period_seconds=10),
                "liveness_probe": Probe.from_http_get("/ping", "http", period_seconds=30),
                "egress_internet": egress_to is None,
                "egress_to": egress_to or (),
            },
            default_name=where.dns_label(max_len=52),
            chart_labels=where.labels,
            app_name="oauth2-proxy",
            component="sign-in",
        )
        where.add(lambda: Construct.__init__(self, scope, id))
        self._sign_in = sign_in
        #: The proxy's :class:`HardenedWorkspace`.
        self.workspace: HardenedWorkspace = FleetWorkspace(self, "Resource", settings)
        #: Its :class:`WorkspaceIngress`, at ``host``.
        self.ingress = WorkspaceIngress(
            self,
            "Ingress",
            workspace=self.workspace,
            host=host,
            tls_secret=tls_secret,
            ingress_class_name=ingress_class_name,
            controller=controller,
        )
        self._controller = controller
        #: Its Service's in-cluster name, ``<name>.<namespace>.svc``.
        self.service_host = render.service_hostname(settings.name, where.namespace)

    def auth_annotations(
        self, *, allow: Sequence[str], allow_groups: Sequence[str] = ()
    ) -> Mapping[str, str]:
        """The annotations that put an Ingress (``WorkspaceIngress(annotations=...)``) behind
        this proxy: only the signed-in people whose email is in ``allow`` (and, with
        ``allow_groups``, who are in one of those groups) pass."""
        check_allowed("email", allow, allow_groups, proxy=True)
        return sign_in_objects.auth_annotations(
            self._sign_in,
            self._controller,
            proxy_service=self.service_host,
            allow=allow,
            groups=allow_groups,
        )
