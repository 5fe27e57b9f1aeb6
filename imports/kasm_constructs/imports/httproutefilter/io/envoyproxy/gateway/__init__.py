from __future__ import annotations

from pkgutil import extend_path
__path__ = extend_path(__path__, __name__)

import abc
import builtins
import datetime
import enum
import typing

import jsii
import publication
import typing_extensions

from jsii._type_checking import cached_type_hints, check_type


from ._jsii import *

class _LazyImport:
    def __init__(self, module_name: str) -> None:
        self._module_name = module_name
        self._module: typing.Any = None
    def __getattr__(self, name: str) -> typing.Any:
        if self._module is None:
            import importlib
            self._module = importlib.import_module(self._module_name)
        return getattr(self._module, name)

if typing.TYPE_CHECKING:

    import cdk8s as _cdk8s_d3d9af27
    import constructs as _constructs_77d1e7e8
else:

    _cdk8s_d3d9af27 = _LazyImport("cdk8s")
    _constructs_77d1e7e8 = _LazyImport("constructs")


class HttpRouteFilter(
    _cdk8s_d3d9af27.ApiObject,
    metaclass=jsii.JSIIMeta,
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilter",
):
    '''HTTPRouteFilter is a custom Envoy Gateway HTTPRouteFilter which provides extended traffic processing options such as path regex rewrite, direct response and more.

    :schema: HTTPRouteFilter
    '''

    def __init__(
        self,
        scope: "_constructs_77d1e7e8.Construct",
        id: builtins.str,
        *,
        spec: typing.Union["HttpRouteFilterSpec", typing.Dict[builtins.str, typing.Any]],
        metadata: typing.Optional[typing.Union["_cdk8s_d3d9af27.ApiObjectMetadata", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''Defines a "HTTPRouteFilter" API object.

        :param scope: the scope in which to define this object.
        :param id: a scope-local name for the object.
        :param spec: Spec defines the desired state of HTTPRouteFilter.
        :param metadata: 
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__5c7180d3c01eb096126dcdb17618cca180d6334f20179b9b715157423603d025)
            check_type(argname="argument scope", value=scope, expected_type=type_hints["scope"])
            check_type(argname="argument id", value=id, expected_type=type_hints["id"])
        props = HttpRouteFilterProps(spec=spec, metadata=metadata)

        jsii.create(self.__class__, self, [scope, id, props])

    @jsii.member(jsii_name="manifest")
    @builtins.classmethod
    def manifest(
        cls,
        *,
        spec: typing.Union["HttpRouteFilterSpec", typing.Dict[builtins.str, typing.Any]],
        metadata: typing.Optional[typing.Union["_cdk8s_d3d9af27.ApiObjectMetadata", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> typing.Any:
        '''Renders a Kubernetes manifest for "HTTPRouteFilter".

        This can be used to inline resource manifests inside other objects (e.g. as templates).

        :param spec: Spec defines the desired state of HTTPRouteFilter.
        :param metadata: 
        '''
        props = HttpRouteFilterProps(spec=spec, metadata=metadata)

        return typing.cast(typing.Any, jsii.sinvoke(cls, "manifest", [props]))

    @jsii.member(jsii_name="toJson")
    def to_json(self) -> typing.Any:
        '''Renders the object to Kubernetes JSON.'''
        return typing.cast(typing.Any, jsii.invoke(self, "toJson", []))

    @jsii.python.classproperty
    @jsii.member(jsii_name="GVK")
    def GVK(cls) -> "_cdk8s_d3d9af27.GroupVersionKind":
        '''Returns the apiVersion and kind for "HTTPRouteFilter".'''
        return typing.cast("_cdk8s_d3d9af27.GroupVersionKind", jsii.sget(cls, "GVK"))


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterProps",
    jsii_struct_bases=[],
    name_mapping={"spec": "spec", "metadata": "metadata"},
)
class HttpRouteFilterProps:
    def __init__(
        self,
        *,
        spec: typing.Union["HttpRouteFilterSpec", typing.Dict[builtins.str, typing.Any]],
        metadata: typing.Optional[typing.Union["_cdk8s_d3d9af27.ApiObjectMetadata", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''HTTPRouteFilter is a custom Envoy Gateway HTTPRouteFilter which provides extended traffic processing options such as path regex rewrite, direct response and more.

        :param spec: Spec defines the desired state of HTTPRouteFilter.
        :param metadata: 

        :schema: HTTPRouteFilter
        '''
        if isinstance(spec, dict):
            spec = HttpRouteFilterSpec(**spec)
        if isinstance(metadata, dict):
            metadata = _cdk8s_d3d9af27.ApiObjectMetadata(**metadata)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__82bb3c3e1494c976d01bc4ed075fe622ae10117f24952c26355c06d032bb3862)
            check_type(argname="argument spec", value=spec, expected_type=type_hints["spec"])
            check_type(argname="argument metadata", value=metadata, expected_type=type_hints["metadata"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "spec": spec,
        }
        if metadata is not None:
            self._values["metadata"] = metadata

    @builtins.property
    def spec(self) -> "HttpRouteFilterSpec":
        '''Spec defines the desired state of HTTPRouteFilter.

        :schema: HTTPRouteFilter#spec
        '''
        result = self._values.get("spec")
        assert result is not None, "Required property 'spec' is missing"
        return typing.cast("HttpRouteFilterSpec", result)

    @builtins.property
    def metadata(self) -> typing.Optional["_cdk8s_d3d9af27.ApiObjectMetadata"]:
        '''
        :schema: HTTPRouteFilter#metadata
        '''
        result = self._values.get("metadata")
        return typing.cast(typing.Optional["_cdk8s_d3d9af27.ApiObjectMetadata"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterProps(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpec",
    jsii_struct_bases=[],
    name_mapping={
        "credential_injection": "credentialInjection",
        "direct_response": "directResponse",
        "matches": "matches",
        "url_rewrite": "urlRewrite",
    },
)
class HttpRouteFilterSpec:
    def __init__(
        self,
        *,
        credential_injection: typing.Optional[typing.Union["HttpRouteFilterSpecCredentialInjection", typing.Dict[builtins.str, typing.Any]]] = None,
        direct_response: typing.Optional[typing.Union["HttpRouteFilterSpecDirectResponse", typing.Dict[builtins.str, typing.Any]]] = None,
        matches: typing.Optional[typing.Sequence[typing.Union["HttpRouteFilterSpecMatches", typing.Dict[builtins.str, typing.Any]]]] = None,
        url_rewrite: typing.Optional[typing.Union["HttpRouteFilterSpecUrlRewrite", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''Spec defines the desired state of HTTPRouteFilter.

        :param credential_injection: HTTPCredentialInjectionFilter defines the configuration to inject credentials into the request. This is useful when the backend service requires credentials in the request, and the original request does not contain them. The filter can inject credentials into the request before forwarding it to the backend service.
        :param direct_response: DirectResponse returns a fixed response for matching requests. When this filter is referenced from a GRPCRoute, only a non-2xx status code is supported. gRPC signals success with a grpc-status trailer and a response message, which a direct response cannot produce, so a 2xx status code (which maps to the gRPC OK status) yields an invalid response for gRPC clients. Use a non-2xx status code to deny or block gRPC requests (e.g. 403 maps to PERMISSION_DENIED, 404 to UNIMPLEMENTED, 429/503 to UNAVAILABLE).
        :param matches: Matches defines additional matching criteria for the HTTPRoute rule. As with HTTPRouteRule.Matches, the rule is matched if any one match applies. When both HTTPRouteRule.Matches and HTTPRouteFilter.Matches are set, the effective matching is the logical AND of the two sets.
        :param url_rewrite: HTTPURLRewriteFilter define rewrites of HTTP URL components such as path and host.

        :schema: HttpRouteFilterSpec
        '''
        if isinstance(credential_injection, dict):
            credential_injection = HttpRouteFilterSpecCredentialInjection(**credential_injection)
        if isinstance(direct_response, dict):
            direct_response = HttpRouteFilterSpecDirectResponse(**direct_response)
        if isinstance(url_rewrite, dict):
            url_rewrite = HttpRouteFilterSpecUrlRewrite(**url_rewrite)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__ca7f5d95065e8f35c836b88da75b1dad937636dfb5f54829d86bb758b703abf5)
            check_type(argname="argument credential_injection", value=credential_injection, expected_type=type_hints["credential_injection"])
            check_type(argname="argument direct_response", value=direct_response, expected_type=type_hints["direct_response"])
            check_type(argname="argument matches", value=matches, expected_type=type_hints["matches"])
            check_type(argname="argument url_rewrite", value=url_rewrite, expected_type=type_hints["url_rewrite"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if credential_injection is not None:
            self._values["credential_injection"] = credential_injection
        if direct_response is not None:
            self._values["direct_response"] = direct_response
        if matches is not None:
            self._values["matches"] = matches
        if url_rewrite is not None:
            self._values["url_rewrite"] = url_rewrite

    @builtins.property
    def credential_injection(
        self,
    ) -> typing.Optional["HttpRouteFilterSpecCredentialInjection"]:
        '''HTTPCredentialInjectionFilter defines the configuration to inject credentials into the request.

        This is useful when the backend service requires credentials in the request, and the original
        request does not contain them. The filter can inject credentials into the request before forwarding
        it to the backend service.

        :schema: HttpRouteFilterSpec#credentialInjection
        '''
        result = self._values.get("credential_injection")
        return typing.cast(typing.Optional["HttpRouteFilterSpecCredentialInjection"], result)

    @builtins.property
    def direct_response(self) -> typing.Optional["HttpRouteFilterSpecDirectResponse"]:
        '''DirectResponse returns a fixed response for matching requests.

        When this filter is referenced from a GRPCRoute, only a non-2xx status code
        is supported. gRPC signals success with a grpc-status trailer and a response
        message, which a direct response cannot produce, so a 2xx status code (which
        maps to the gRPC OK status) yields an invalid response for gRPC clients. Use a
        non-2xx status code to deny or block gRPC requests (e.g. 403 maps to
        PERMISSION_DENIED, 404 to UNIMPLEMENTED, 429/503 to UNAVAILABLE).

        :schema: HttpRouteFilterSpec#directResponse
        '''
        result = self._values.get("direct_response")
        return typing.cast(typing.Optional["HttpRouteFilterSpecDirectResponse"], result)

    @builtins.property
    def matches(self) -> typing.Optional[typing.List["HttpRouteFilterSpecMatches"]]:
        '''Matches defines additional matching criteria for the HTTPRoute rule.

        As with HTTPRouteRule.Matches, the rule is matched if any one match applies.
        When both HTTPRouteRule.Matches and HTTPRouteFilter.Matches are set, the
        effective matching is the logical AND of the two sets.

        :schema: HttpRouteFilterSpec#matches
        '''
        result = self._values.get("matches")
        return typing.cast(typing.Optional[typing.List["HttpRouteFilterSpecMatches"]], result)

    @builtins.property
    def url_rewrite(self) -> typing.Optional["HttpRouteFilterSpecUrlRewrite"]:
        '''HTTPURLRewriteFilter define rewrites of HTTP URL components such as path and host.

        :schema: HttpRouteFilterSpec#urlRewrite
        '''
        result = self._values.get("url_rewrite")
        return typing.cast(typing.Optional["HttpRouteFilterSpecUrlRewrite"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpec(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecCredentialInjection",
    jsii_struct_bases=[],
    name_mapping={
        "credential": "credential",
        "header": "header",
        "overwrite": "overwrite",
    },
)
class HttpRouteFilterSpecCredentialInjection:
    def __init__(
        self,
        *,
        credential: typing.Union["HttpRouteFilterSpecCredentialInjectionCredential", typing.Dict[builtins.str, typing.Any]],
        header: typing.Optional[builtins.str] = None,
        overwrite: typing.Optional[builtins.bool] = None,
    ) -> None:
        '''HTTPCredentialInjectionFilter defines the configuration to inject credentials into the request.

        This is useful when the backend service requires credentials in the request, and the original
        request does not contain them. The filter can inject credentials into the request before forwarding
        it to the backend service.

        :param credential: Credential is the credential to be injected.
        :param header: Header is the name of the header where the credentials are injected. If not specified, the credentials are injected into the Authorization header.
        :param overwrite: Whether to overwrite the value or not if the injected headers already exist. If not specified, the default value is false.

        :schema: HttpRouteFilterSpecCredentialInjection
        '''
        if isinstance(credential, dict):
            credential = HttpRouteFilterSpecCredentialInjectionCredential(**credential)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__74e2bac6b7bfab3223a6067f2b09243bf9b4ab5fe9ccd26379de143dae0b05e2)
            check_type(argname="argument credential", value=credential, expected_type=type_hints["credential"])
            check_type(argname="argument header", value=header, expected_type=type_hints["header"])
            check_type(argname="argument overwrite", value=overwrite, expected_type=type_hints["overwrite"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "credential": credential,
        }
        if header is not None:
            self._values["header"] = header
        if overwrite is not None:
            self._values["overwrite"] = overwrite

    @builtins.property
    def credential(self) -> "HttpRouteFilterSpecCredentialInjectionCredential":
        '''Credential is the credential to be injected.

        :schema: HttpRouteFilterSpecCredentialInjection#credential
        '''
        result = self._values.get("credential")
        assert result is not None, "Required property 'credential' is missing"
        return typing.cast("HttpRouteFilterSpecCredentialInjectionCredential", result)

    @builtins.property
    def header(self) -> typing.Optional[builtins.str]:
        '''Header is the name of the header where the credentials are injected.

        If not specified, the credentials are injected into the Authorization header.

        :schema: HttpRouteFilterSpecCredentialInjection#header
        '''
        result = self._values.get("header")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def overwrite(self) -> typing.Optional[builtins.bool]:
        '''Whether to overwrite the value or not if the injected headers already exist.

        If not specified, the default value is false.

        :schema: HttpRouteFilterSpecCredentialInjection#overwrite
        '''
        result = self._values.get("overwrite")
        return typing.cast(typing.Optional[builtins.bool], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecCredentialInjection(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecCredentialInjectionCredential",
    jsii_struct_bases=[],
    name_mapping={"value_ref": "valueRef"},
)
class HttpRouteFilterSpecCredentialInjectionCredential:
    def __init__(
        self,
        *,
        value_ref: typing.Union["HttpRouteFilterSpecCredentialInjectionCredentialValueRef", typing.Dict[builtins.str, typing.Any]],
    ) -> None:
        '''Credential is the credential to be injected.

        :param value_ref: ValueRef is a reference to the secret containing the credentials to be injected. This is an Opaque secret. The credential should be stored in the key "credential", and the value should be the credential to be injected. For example, for basic authentication, the value should be "Basic ". for bearer token, the value should be "Bearer ".

        :schema: HttpRouteFilterSpecCredentialInjectionCredential
        '''
        if isinstance(value_ref, dict):
            value_ref = HttpRouteFilterSpecCredentialInjectionCredentialValueRef(**value_ref)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__11afd34c4ba73a147d7262472f78f8f3a0a1c314f56a6a49f95963f9408eaafe)
            check_type(argname="argument value_ref", value=value_ref, expected_type=type_hints["value_ref"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "value_ref": value_ref,
        }

    @builtins.property
    def value_ref(self) -> "HttpRouteFilterSpecCredentialInjectionCredentialValueRef":
        '''ValueRef is a reference to the secret containing the credentials to be injected.

        This is an Opaque secret. The credential should be stored in the key
        "credential", and the value should be the credential to be injected.
        For example, for basic authentication, the value should be "Basic ".
        for bearer token, the value should be "Bearer ".

        :schema: HttpRouteFilterSpecCredentialInjectionCredential#valueRef
        '''
        result = self._values.get("value_ref")
        assert result is not None, "Required property 'value_ref' is missing"
        return typing.cast("HttpRouteFilterSpecCredentialInjectionCredentialValueRef", result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecCredentialInjectionCredential(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecCredentialInjectionCredentialValueRef",
    jsii_struct_bases=[],
    name_mapping={
        "name": "name",
        "group": "group",
        "kind": "kind",
        "namespace": "namespace",
    },
)
class HttpRouteFilterSpecCredentialInjectionCredentialValueRef:
    def __init__(
        self,
        *,
        name: builtins.str,
        group: typing.Optional[builtins.str] = None,
        kind: typing.Optional[builtins.str] = None,
        namespace: typing.Optional[builtins.str] = None,
    ) -> None:
        '''ValueRef is a reference to the secret containing the credentials to be injected.

        This is an Opaque secret. The credential should be stored in the key
        "credential", and the value should be the credential to be injected.
        For example, for basic authentication, the value should be "Basic ".
        for bearer token, the value should be "Bearer ".

        :param name: Name is the name of the referent.
        :param group: Group is the group of the referent. For example, "gateway.networking.k8s.io". When unspecified or empty string, core API group is inferred.
        :param kind: Kind is kind of the referent. For example "Secret".
        :param namespace: Namespace is the namespace of the referenced object. When unspecified, the local namespace is inferred. Note that when a namespace different than the local namespace is specified, a ReferenceGrant object is required in the referent namespace to allow that namespace's owner to accept the reference. See the ReferenceGrant documentation for details. Support: Core

        :schema: HttpRouteFilterSpecCredentialInjectionCredentialValueRef
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__25c0be5c9e22ac6822a8f45ba638553aa47db583f5b97b02207abe312c05c617)
            check_type(argname="argument name", value=name, expected_type=type_hints["name"])
            check_type(argname="argument group", value=group, expected_type=type_hints["group"])
            check_type(argname="argument kind", value=kind, expected_type=type_hints["kind"])
            check_type(argname="argument namespace", value=namespace, expected_type=type_hints["namespace"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "name": name,
        }
        if group is not None:
            self._values["group"] = group
        if kind is not None:
            self._values["kind"] = kind
        if namespace is not None:
            self._values["namespace"] = namespace

    @builtins.property
    def name(self) -> builtins.str:
        '''Name is the name of the referent.

        :schema: HttpRouteFilterSpecCredentialInjectionCredentialValueRef#name
        '''
        result = self._values.get("name")
        assert result is not None, "Required property 'name' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def group(self) -> typing.Optional[builtins.str]:
        '''Group is the group of the referent.

        For example, "gateway.networking.k8s.io".
        When unspecified or empty string, core API group is inferred.

        :schema: HttpRouteFilterSpecCredentialInjectionCredentialValueRef#group
        '''
        result = self._values.get("group")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def kind(self) -> typing.Optional[builtins.str]:
        '''Kind is kind of the referent.

        For example "Secret".

        :schema: HttpRouteFilterSpecCredentialInjectionCredentialValueRef#kind
        '''
        result = self._values.get("kind")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def namespace(self) -> typing.Optional[builtins.str]:
        '''Namespace is the namespace of the referenced object. When unspecified, the local namespace is inferred.

        Note that when a namespace different than the local namespace is specified,
        a ReferenceGrant object is required in the referent namespace to allow that
        namespace's owner to accept the reference. See the ReferenceGrant
        documentation for details.

        Support: Core

        :schema: HttpRouteFilterSpecCredentialInjectionCredentialValueRef#namespace
        '''
        result = self._values.get("namespace")
        return typing.cast(typing.Optional[builtins.str], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecCredentialInjectionCredentialValueRef(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecDirectResponse",
    jsii_struct_bases=[],
    name_mapping={
        "body": "body",
        "content_type": "contentType",
        "header": "header",
        "status_code": "statusCode",
    },
)
class HttpRouteFilterSpecDirectResponse:
    def __init__(
        self,
        *,
        body: typing.Optional[typing.Union["HttpRouteFilterSpecDirectResponseBody", typing.Dict[builtins.str, typing.Any]]] = None,
        content_type: typing.Optional[builtins.str] = None,
        header: typing.Optional[typing.Union["HttpRouteFilterSpecDirectResponseHeader", typing.Dict[builtins.str, typing.Any]]] = None,
        status_code: typing.Optional[jsii.Number] = None,
    ) -> None:
        '''DirectResponse returns a fixed response for matching requests.

        When this filter is referenced from a GRPCRoute, only a non-2xx status code
        is supported. gRPC signals success with a grpc-status trailer and a response
        message, which a direct response cannot produce, so a 2xx status code (which
        maps to the gRPC OK status) yields an invalid response for gRPC clients. Use a
        non-2xx status code to deny or block gRPC requests (e.g. 403 maps to
        PERMISSION_DENIED, 404 to UNIMPLEMENTED, 429/503 to UNAVAILABLE).

        :param body: Body of the direct response. Supports Envoy command operators for dynamic content (see https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#command-operators).
        :param content_type: Content Type of the direct response. This will be set in the Content-Type header.
        :param header: Header defines the headers of the direct response.
        :param status_code: Status Code of the HTTP response If unset, defaults to 200. Note: when this filter is referenced from a GRPCRoute, a 2xx status code (including the default 200) is rejected; a non-2xx status code must be set.

        :schema: HttpRouteFilterSpecDirectResponse
        '''
        if isinstance(body, dict):
            body = HttpRouteFilterSpecDirectResponseBody(**body)
        if isinstance(header, dict):
            header = HttpRouteFilterSpecDirectResponseHeader(**header)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__7e96369881c1f672036c254cb0cb4a42e1fec203c9b97203e214d097df8bb848)
            check_type(argname="argument body", value=body, expected_type=type_hints["body"])
            check_type(argname="argument content_type", value=content_type, expected_type=type_hints["content_type"])
            check_type(argname="argument header", value=header, expected_type=type_hints["header"])
            check_type(argname="argument status_code", value=status_code, expected_type=type_hints["status_code"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if body is not None:
            self._values["body"] = body
        if content_type is not None:
            self._values["content_type"] = content_type
        if header is not None:
            self._values["header"] = header
        if status_code is not None:
            self._values["status_code"] = status_code

    @builtins.property
    def body(self) -> typing.Optional["HttpRouteFilterSpecDirectResponseBody"]:
        '''Body of the direct response.

        Supports Envoy command operators for dynamic content (see https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#command-operators).

        :schema: HttpRouteFilterSpecDirectResponse#body
        '''
        result = self._values.get("body")
        return typing.cast(typing.Optional["HttpRouteFilterSpecDirectResponseBody"], result)

    @builtins.property
    def content_type(self) -> typing.Optional[builtins.str]:
        '''Content Type of the direct response.

        This will be set in the Content-Type header.

        :schema: HttpRouteFilterSpecDirectResponse#contentType
        '''
        result = self._values.get("content_type")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def header(self) -> typing.Optional["HttpRouteFilterSpecDirectResponseHeader"]:
        '''Header defines the headers of the direct response.

        :schema: HttpRouteFilterSpecDirectResponse#header
        '''
        result = self._values.get("header")
        return typing.cast(typing.Optional["HttpRouteFilterSpecDirectResponseHeader"], result)

    @builtins.property
    def status_code(self) -> typing.Optional[jsii.Number]:
        '''Status Code of the HTTP response If unset, defaults to 200.

        Note: when this filter is referenced from a GRPCRoute, a 2xx status code
        (including the default 200) is rejected; a non-2xx status code must be set.

        :schema: HttpRouteFilterSpecDirectResponse#statusCode
        '''
        result = self._values.get("status_code")
        return typing.cast(typing.Optional[jsii.Number], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecDirectResponse(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecDirectResponseBody",
    jsii_struct_bases=[],
    name_mapping={"type": "type", "inline": "inline", "value_ref": "valueRef"},
)
class HttpRouteFilterSpecDirectResponseBody:
    def __init__(
        self,
        *,
        type: builtins.str,
        inline: typing.Optional[builtins.str] = None,
        value_ref: typing.Optional[typing.Union["HttpRouteFilterSpecDirectResponseBodyValueRef", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''Body of the direct response.

        Supports Envoy command operators for dynamic content (see https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#command-operators).

        :param type: Type is the type of method to use to read the body value. Valid values are Inline and ValueRef, default is Inline.
        :param inline: Inline contains the value as an inline string.
        :param value_ref: ValueRef contains the contents of the body specified as a local object reference. Only a reference to ConfigMap is supported. The value of key ``response.body`` in the ConfigMap will be used as the response body. If the key is not found, the first value in the ConfigMap will be used.

        :schema: HttpRouteFilterSpecDirectResponseBody
        '''
        if isinstance(value_ref, dict):
            value_ref = HttpRouteFilterSpecDirectResponseBodyValueRef(**value_ref)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__0b09bcd3a3edefcd7f5f6b93ccc69e11c9cb019a954d47203c145067478296d5)
            check_type(argname="argument type", value=type, expected_type=type_hints["type"])
            check_type(argname="argument inline", value=inline, expected_type=type_hints["inline"])
            check_type(argname="argument value_ref", value=value_ref, expected_type=type_hints["value_ref"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "type": type,
        }
        if inline is not None:
            self._values["inline"] = inline
        if value_ref is not None:
            self._values["value_ref"] = value_ref

    @builtins.property
    def type(self) -> builtins.str:
        '''Type is the type of method to use to read the body value.

        Valid values are Inline and ValueRef, default is Inline.

        :schema: HttpRouteFilterSpecDirectResponseBody#type
        '''
        result = self._values.get("type")
        assert result is not None, "Required property 'type' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def inline(self) -> typing.Optional[builtins.str]:
        '''Inline contains the value as an inline string.

        :schema: HttpRouteFilterSpecDirectResponseBody#inline
        '''
        result = self._values.get("inline")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def value_ref(
        self,
    ) -> typing.Optional["HttpRouteFilterSpecDirectResponseBodyValueRef"]:
        '''ValueRef contains the contents of the body specified as a local object reference. Only a reference to ConfigMap is supported.

        The value of key ``response.body`` in the ConfigMap will be used as the response body.
        If the key is not found, the first value in the ConfigMap will be used.

        :schema: HttpRouteFilterSpecDirectResponseBody#valueRef
        '''
        result = self._values.get("value_ref")
        return typing.cast(typing.Optional["HttpRouteFilterSpecDirectResponseBodyValueRef"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecDirectResponseBody(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecDirectResponseBodyValueRef",
    jsii_struct_bases=[],
    name_mapping={"group": "group", "kind": "kind", "name": "name"},
)
class HttpRouteFilterSpecDirectResponseBodyValueRef:
    def __init__(
        self,
        *,
        group: builtins.str,
        kind: builtins.str,
        name: builtins.str,
    ) -> None:
        '''ValueRef contains the contents of the body specified as a local object reference. Only a reference to ConfigMap is supported.

        The value of key ``response.body`` in the ConfigMap will be used as the response body.
        If the key is not found, the first value in the ConfigMap will be used.

        :param group: Group is the group of the referent. For example, "gateway.networking.k8s.io". When unspecified or empty string, core API group is inferred.
        :param kind: Kind is kind of the referent. For example "HTTPRoute" or "Service".
        :param name: Name is the name of the referent.

        :schema: HttpRouteFilterSpecDirectResponseBodyValueRef
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__3b17c6dbdfb5e3d706a70dc8203db117909fc7efae540a008402c18db28371c0)
            check_type(argname="argument group", value=group, expected_type=type_hints["group"])
            check_type(argname="argument kind", value=kind, expected_type=type_hints["kind"])
            check_type(argname="argument name", value=name, expected_type=type_hints["name"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "group": group,
            "kind": kind,
            "name": name,
        }

    @builtins.property
    def group(self) -> builtins.str:
        '''Group is the group of the referent.

        For example, "gateway.networking.k8s.io".
        When unspecified or empty string, core API group is inferred.

        :schema: HttpRouteFilterSpecDirectResponseBodyValueRef#group
        '''
        result = self._values.get("group")
        assert result is not None, "Required property 'group' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def kind(self) -> builtins.str:
        '''Kind is kind of the referent.

        For example "HTTPRoute" or "Service".

        :schema: HttpRouteFilterSpecDirectResponseBodyValueRef#kind
        '''
        result = self._values.get("kind")
        assert result is not None, "Required property 'kind' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def name(self) -> builtins.str:
        '''Name is the name of the referent.

        :schema: HttpRouteFilterSpecDirectResponseBodyValueRef#name
        '''
        result = self._values.get("name")
        assert result is not None, "Required property 'name' is missing"
        return typing.cast(builtins.str, result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecDirectResponseBodyValueRef(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecDirectResponseHeader",
    jsii_struct_bases=[],
    name_mapping={"add": "add", "remove": "remove", "set": "set"},
)
class HttpRouteFilterSpecDirectResponseHeader:
    def __init__(
        self,
        *,
        add: typing.Optional[typing.Sequence[typing.Union["HttpRouteFilterSpecDirectResponseHeaderAdd", typing.Dict[builtins.str, typing.Any]]]] = None,
        remove: typing.Optional[typing.Sequence[builtins.str]] = None,
        set: typing.Optional[typing.Sequence[typing.Union["HttpRouteFilterSpecDirectResponseHeaderSet", typing.Dict[builtins.str, typing.Any]]]] = None,
    ) -> None:
        '''Header defines the headers of the direct response.

        :param add: Add adds the given header(s) (name, value) to the request before the action. It appends to any existing values associated with the header name. Input: GET /foo HTTP/1.1 my-header: foo Config: add: - name: "my-header" value: "bar,baz" Output: GET /foo HTTP/1.1 my-header: foo,bar,baz
        :param remove: Remove the given header(s) from the HTTP request before the action. The value of Remove is a list of HTTP header names. Note that the header names are case-insensitive (see https://datatracker.ietf.org/doc/html/rfc2616#section-4.2). Input: GET /foo HTTP/1.1 my-header1: foo my-header2: bar my-header3: baz Config: remove: ["my-header1", "my-header3"] Output: GET /foo HTTP/1.1 my-header2: bar
        :param set: Set overwrites the request with the given header (name, value) before the action. Input: GET /foo HTTP/1.1 my-header: foo Config: set: - name: "my-header" value: "bar" Output: GET /foo HTTP/1.1 my-header: bar

        :schema: HttpRouteFilterSpecDirectResponseHeader
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__1de4ff05f2db5ff18af40e4a4038c5da4ba0069c2ffba129e599d156503cfc03)
            check_type(argname="argument add", value=add, expected_type=type_hints["add"])
            check_type(argname="argument remove", value=remove, expected_type=type_hints["remove"])
            check_type(argname="argument set", value=set, expected_type=type_hints["set"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if add is not None:
            self._values["add"] = add
        if remove is not None:
            self._values["remove"] = remove
        if set is not None:
            self._values["set"] = set

    @builtins.property
    def add(
        self,
    ) -> typing.Optional[typing.List["HttpRouteFilterSpecDirectResponseHeaderAdd"]]:
        '''Add adds the given header(s) (name, value) to the request before the action.

        It appends to any existing values associated
        with the header name.

        Input:
        GET /foo HTTP/1.1
        my-header: foo

        Config:
        add:

        - name: "my-header"
          value: "bar,baz"

        Output:
        GET /foo HTTP/1.1
        my-header: foo,bar,baz

        :schema: HttpRouteFilterSpecDirectResponseHeader#add
        '''
        result = self._values.get("add")
        return typing.cast(typing.Optional[typing.List["HttpRouteFilterSpecDirectResponseHeaderAdd"]], result)

    @builtins.property
    def remove(self) -> typing.Optional[typing.List[builtins.str]]:
        '''Remove the given header(s) from the HTTP request before the action.

        The
        value of Remove is a list of HTTP header names. Note that the header
        names are case-insensitive (see
        https://datatracker.ietf.org/doc/html/rfc2616#section-4.2).

        Input:
        GET /foo HTTP/1.1
        my-header1: foo
        my-header2: bar
        my-header3: baz

        Config:
        remove: ["my-header1", "my-header3"]

        Output:
        GET /foo HTTP/1.1
        my-header2: bar

        :schema: HttpRouteFilterSpecDirectResponseHeader#remove
        '''
        result = self._values.get("remove")
        return typing.cast(typing.Optional[typing.List[builtins.str]], result)

    @builtins.property
    def set(
        self,
    ) -> typing.Optional[typing.List["HttpRouteFilterSpecDirectResponseHeaderSet"]]:
        '''Set overwrites the request with the given header (name, value) before the action.

        Input:
        GET /foo HTTP/1.1
        my-header: foo

        Config:
        set:

        - name: "my-header"
          value: "bar"

        Output:
        GET /foo HTTP/1.1
        my-header: bar

        :schema: HttpRouteFilterSpecDirectResponseHeader#set
        '''
        result = self._values.get("set")
        return typing.cast(typing.Optional[typing.List["HttpRouteFilterSpecDirectResponseHeaderSet"]], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecDirectResponseHeader(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecDirectResponseHeaderAdd",
    jsii_struct_bases=[],
    name_mapping={"name": "name", "value": "value"},
)
class HttpRouteFilterSpecDirectResponseHeaderAdd:
    def __init__(self, *, name: builtins.str, value: builtins.str) -> None:
        '''HTTPHeader represents an HTTP Header name and value as defined by RFC 7230.

        :param name: Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive. (See https://tools.ietf.org/html/rfc7230#section-3.2). If multiple entries specify equivalent header names, the first entry with an equivalent name MUST be considered for a match. Subsequent entries with an equivalent header name MUST be ignored. Due to the case-insensitivity of header names, "foo" and "Foo" are considered equivalent.
        :param value: Value is the value of HTTP Header to be matched. `gateway:experimental:description <gateway:experimental:description>`_ Must consist of printable US-ASCII characters, optionally separated by single tabs or spaces. See: https://tools.ietf.org/html/rfc7230#section-3.2 </gateway:experimental:description> <gateway:experimental:validation:Pattern=``^[!-~]+([\\t ]?[!-~]+)*$``>

        :schema: HttpRouteFilterSpecDirectResponseHeaderAdd
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__e017942437b08ff5cf65db4c4760cd7b33fd70671b55b79ed92b64eff5666e97)
            check_type(argname="argument name", value=name, expected_type=type_hints["name"])
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "name": name,
            "value": value,
        }

    @builtins.property
    def name(self) -> builtins.str:
        '''Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive. (See https://tools.ietf.org/html/rfc7230#section-3.2).

        If multiple entries specify equivalent header names, the first entry with
        an equivalent name MUST be considered for a match. Subsequent entries
        with an equivalent header name MUST be ignored. Due to the
        case-insensitivity of header names, "foo" and "Foo" are considered
        equivalent.

        :schema: HttpRouteFilterSpecDirectResponseHeaderAdd#name
        '''
        result = self._values.get("name")
        assert result is not None, "Required property 'name' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def value(self) -> builtins.str:
        '''Value is the value of HTTP Header to be matched.

        `gateway:experimental:description <gateway:experimental:description>`_
        Must consist of printable US-ASCII characters, optionally separated
        by single tabs or spaces. See: https://tools.ietf.org/html/rfc7230#section-3.2
        </gateway:experimental:description>

        <gateway:experimental:validation:Pattern=``^[!-~]+([\\t ]?[!-~]+)*$``>

        :schema: HttpRouteFilterSpecDirectResponseHeaderAdd#value
        '''
        result = self._values.get("value")
        assert result is not None, "Required property 'value' is missing"
        return typing.cast(builtins.str, result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecDirectResponseHeaderAdd(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecDirectResponseHeaderSet",
    jsii_struct_bases=[],
    name_mapping={"name": "name", "value": "value"},
)
class HttpRouteFilterSpecDirectResponseHeaderSet:
    def __init__(self, *, name: builtins.str, value: builtins.str) -> None:
        '''HTTPHeader represents an HTTP Header name and value as defined by RFC 7230.

        :param name: Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive. (See https://tools.ietf.org/html/rfc7230#section-3.2). If multiple entries specify equivalent header names, the first entry with an equivalent name MUST be considered for a match. Subsequent entries with an equivalent header name MUST be ignored. Due to the case-insensitivity of header names, "foo" and "Foo" are considered equivalent.
        :param value: Value is the value of HTTP Header to be matched. `gateway:experimental:description <gateway:experimental:description>`_ Must consist of printable US-ASCII characters, optionally separated by single tabs or spaces. See: https://tools.ietf.org/html/rfc7230#section-3.2 </gateway:experimental:description> <gateway:experimental:validation:Pattern=``^[!-~]+([\\t ]?[!-~]+)*$``>

        :schema: HttpRouteFilterSpecDirectResponseHeaderSet
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__9302359919c632878e145907ce6cd3d14246f4315035345229993104ae803005)
            check_type(argname="argument name", value=name, expected_type=type_hints["name"])
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "name": name,
            "value": value,
        }

    @builtins.property
    def name(self) -> builtins.str:
        '''Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive. (See https://tools.ietf.org/html/rfc7230#section-3.2).

        If multiple entries specify equivalent header names, the first entry with
        an equivalent name MUST be considered for a match. Subsequent entries
        with an equivalent header name MUST be ignored. Due to the
        case-insensitivity of header names, "foo" and "Foo" are considered
        equivalent.

        :schema: HttpRouteFilterSpecDirectResponseHeaderSet#name
        '''
        result = self._values.get("name")
        assert result is not None, "Required property 'name' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def value(self) -> builtins.str:
        '''Value is the value of HTTP Header to be matched.

        `gateway:experimental:description <gateway:experimental:description>`_
        Must consist of printable US-ASCII characters, optionally separated
        by single tabs or spaces. See: https://tools.ietf.org/html/rfc7230#section-3.2
        </gateway:experimental:description>

        <gateway:experimental:validation:Pattern=``^[!-~]+([\\t ]?[!-~]+)*$``>

        :schema: HttpRouteFilterSpecDirectResponseHeaderSet#value
        '''
        result = self._values.get("value")
        assert result is not None, "Required property 'value' is missing"
        return typing.cast(builtins.str, result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecDirectResponseHeaderSet(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecMatches",
    jsii_struct_bases=[],
    name_mapping={"cookies": "cookies"},
)
class HttpRouteFilterSpecMatches:
    def __init__(
        self,
        *,
        cookies: typing.Optional[typing.Sequence[typing.Union["HttpRouteFilterSpecMatchesCookies", typing.Dict[builtins.str, typing.Any]]]] = None,
    ) -> None:
        '''HTTPRouteMatchFilter defines additional matching criteria for the HTTPRoute rule.

        At least one matcher must be specified.

        :param cookies: Cookies is a list of cookie matchers evaluated against the HTTP request. All specified matchers must match.

        :schema: HttpRouteFilterSpecMatches
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__df341043f80dd02a71b4670d0b517b982c6745c9ac77cbb02b5866da1b12dcb2)
            check_type(argname="argument cookies", value=cookies, expected_type=type_hints["cookies"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if cookies is not None:
            self._values["cookies"] = cookies

    @builtins.property
    def cookies(
        self,
    ) -> typing.Optional[typing.List["HttpRouteFilterSpecMatchesCookies"]]:
        '''Cookies is a list of cookie matchers evaluated against the HTTP request.

        All specified matchers must match.

        :schema: HttpRouteFilterSpecMatches#cookies
        '''
        result = self._values.get("cookies")
        return typing.cast(typing.Optional[typing.List["HttpRouteFilterSpecMatchesCookies"]], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecMatches(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecMatchesCookies",
    jsii_struct_bases=[],
    name_mapping={"name": "name", "value": "value", "type": "type"},
)
class HttpRouteFilterSpecMatchesCookies:
    def __init__(
        self,
        *,
        name: builtins.str,
        value: builtins.str,
        type: typing.Optional["HttpRouteFilterSpecMatchesCookiesType"] = None,
    ) -> None:
        '''HTTPCookieMatch defines how to match a single cookie.

        :param name: Name is the cookie name to evaluate.
        :param value: Value is the cookie value to be matched.
        :param type: Type specifies how to match against the value of the cookie.

        :schema: HttpRouteFilterSpecMatchesCookies
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__49285ad9d2a6449794af4c9921a5a7a9b7e5f81530998a1b6efee580d0b01da1)
            check_type(argname="argument name", value=name, expected_type=type_hints["name"])
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
            check_type(argname="argument type", value=type, expected_type=type_hints["type"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "name": name,
            "value": value,
        }
        if type is not None:
            self._values["type"] = type

    @builtins.property
    def name(self) -> builtins.str:
        '''Name is the cookie name to evaluate.

        :schema: HttpRouteFilterSpecMatchesCookies#name
        '''
        result = self._values.get("name")
        assert result is not None, "Required property 'name' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def value(self) -> builtins.str:
        '''Value is the cookie value to be matched.

        :schema: HttpRouteFilterSpecMatchesCookies#value
        '''
        result = self._values.get("value")
        assert result is not None, "Required property 'value' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def type(self) -> typing.Optional["HttpRouteFilterSpecMatchesCookiesType"]:
        '''Type specifies how to match against the value of the cookie.

        :schema: HttpRouteFilterSpecMatchesCookies#type
        '''
        result = self._values.get("type")
        return typing.cast(typing.Optional["HttpRouteFilterSpecMatchesCookiesType"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecMatchesCookies(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.enum(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecMatchesCookiesType"
)
class HttpRouteFilterSpecMatchesCookiesType(enum.Enum):
    '''Type specifies how to match against the value of the cookie.

    :schema: HttpRouteFilterSpecMatchesCookiesType
    '''

    EXACT = "EXACT"
    '''Exact.'''
    REGULAR_EXPRESSION = "REGULAR_EXPRESSION"
    '''RegularExpression.'''


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecUrlRewrite",
    jsii_struct_bases=[],
    name_mapping={
        "append_x_forwarded_host": "appendXForwardedHost",
        "hostname": "hostname",
        "path": "path",
    },
)
class HttpRouteFilterSpecUrlRewrite:
    def __init__(
        self,
        *,
        append_x_forwarded_host: typing.Optional[builtins.bool] = None,
        hostname: typing.Optional[typing.Union["HttpRouteFilterSpecUrlRewriteHostname", typing.Dict[builtins.str, typing.Any]]] = None,
        path: typing.Optional[typing.Union["HttpRouteFilterSpecUrlRewritePath", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''HTTPURLRewriteFilter define rewrites of HTTP URL components such as path and host.

        :param append_x_forwarded_host: AppendXForwardedHost controls whether the original Host header value is appended to the X-Forwarded-Host header when hostname rewriting is configured. Defaults to true for backward compatibility. Default: true for backward compatibility.
        :param hostname: Hostname is the value to be used to replace the Host header value during forwarding.
        :param path: Path defines a path rewrite.

        :schema: HttpRouteFilterSpecUrlRewrite
        '''
        if isinstance(hostname, dict):
            hostname = HttpRouteFilterSpecUrlRewriteHostname(**hostname)
        if isinstance(path, dict):
            path = HttpRouteFilterSpecUrlRewritePath(**path)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__932853f9695030480d6758cc919ef4cd57e3ed8ee6c9aafa8e525db7d020217b)
            check_type(argname="argument append_x_forwarded_host", value=append_x_forwarded_host, expected_type=type_hints["append_x_forwarded_host"])
            check_type(argname="argument hostname", value=hostname, expected_type=type_hints["hostname"])
            check_type(argname="argument path", value=path, expected_type=type_hints["path"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if append_x_forwarded_host is not None:
            self._values["append_x_forwarded_host"] = append_x_forwarded_host
        if hostname is not None:
            self._values["hostname"] = hostname
        if path is not None:
            self._values["path"] = path

    @builtins.property
    def append_x_forwarded_host(self) -> typing.Optional[builtins.bool]:
        '''AppendXForwardedHost controls whether the original Host header value is appended to the X-Forwarded-Host header when hostname rewriting is configured.

        Defaults to true for backward compatibility.

        :default: true for backward compatibility.

        :schema: HttpRouteFilterSpecUrlRewrite#appendXForwardedHost
        '''
        result = self._values.get("append_x_forwarded_host")
        return typing.cast(typing.Optional[builtins.bool], result)

    @builtins.property
    def hostname(self) -> typing.Optional["HttpRouteFilterSpecUrlRewriteHostname"]:
        '''Hostname is the value to be used to replace the Host header value during forwarding.

        :schema: HttpRouteFilterSpecUrlRewrite#hostname
        '''
        result = self._values.get("hostname")
        return typing.cast(typing.Optional["HttpRouteFilterSpecUrlRewriteHostname"], result)

    @builtins.property
    def path(self) -> typing.Optional["HttpRouteFilterSpecUrlRewritePath"]:
        '''Path defines a path rewrite.

        :schema: HttpRouteFilterSpecUrlRewrite#path
        '''
        result = self._values.get("path")
        return typing.cast(typing.Optional["HttpRouteFilterSpecUrlRewritePath"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecUrlRewrite(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecUrlRewriteHostname",
    jsii_struct_bases=[],
    name_mapping={"type": "type", "header": "header", "path_regex": "pathRegex"},
)
class HttpRouteFilterSpecUrlRewriteHostname:
    def __init__(
        self,
        *,
        type: "HttpRouteFilterSpecUrlRewriteHostnameType",
        header: typing.Optional[builtins.str] = None,
        path_regex: typing.Optional[typing.Union["HttpRouteFilterSpecUrlRewriteHostnamePathRegex", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''Hostname is the value to be used to replace the Host header value during forwarding.

        :param type: HTTPPathModifierType defines the type of Hostname rewrite.
        :param header: Header is the name of the header whose value would be used to rewrite the Host header.
        :param path_regex: PathRegex defines a regex match and substitution applied to the request path to compute the rewritten Host header. For example, with: pathRegex: pattern: "^/tenant/([a-z0-9-]+)/.*" substitution: "\\1.example.internal" a request to "http://foo.bar.com/tenant/tenant1/api/v1" has its upstream Host header rewritten to "tenant1.example.internal" (the request path "/tenant/tenant1/api/v1" is preserved).

        :schema: HttpRouteFilterSpecUrlRewriteHostname
        '''
        if isinstance(path_regex, dict):
            path_regex = HttpRouteFilterSpecUrlRewriteHostnamePathRegex(**path_regex)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__21d718424a1cb48f2cd375816897a032fed4420dd1653baf6cefd14ada5f92fa)
            check_type(argname="argument type", value=type, expected_type=type_hints["type"])
            check_type(argname="argument header", value=header, expected_type=type_hints["header"])
            check_type(argname="argument path_regex", value=path_regex, expected_type=type_hints["path_regex"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "type": type,
        }
        if header is not None:
            self._values["header"] = header
        if path_regex is not None:
            self._values["path_regex"] = path_regex

    @builtins.property
    def type(self) -> "HttpRouteFilterSpecUrlRewriteHostnameType":
        '''HTTPPathModifierType defines the type of Hostname rewrite.

        :schema: HttpRouteFilterSpecUrlRewriteHostname#type
        '''
        result = self._values.get("type")
        assert result is not None, "Required property 'type' is missing"
        return typing.cast("HttpRouteFilterSpecUrlRewriteHostnameType", result)

    @builtins.property
    def header(self) -> typing.Optional[builtins.str]:
        '''Header is the name of the header whose value would be used to rewrite the Host header.

        :schema: HttpRouteFilterSpecUrlRewriteHostname#header
        '''
        result = self._values.get("header")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def path_regex(
        self,
    ) -> typing.Optional["HttpRouteFilterSpecUrlRewriteHostnamePathRegex"]:
        '''PathRegex defines a regex match and substitution applied to the request path to compute the rewritten Host header.

        For example, with:
        pathRegex:
        pattern: "^/tenant/([a-z0-9-]+)/.*"
        substitution: "\\1.example.internal"
        a request to "http://foo.bar.com/tenant/tenant1/api/v1" has its upstream Host header rewritten
        to "tenant1.example.internal" (the request path "/tenant/tenant1/api/v1" is preserved).

        :schema: HttpRouteFilterSpecUrlRewriteHostname#pathRegex
        '''
        result = self._values.get("path_regex")
        return typing.cast(typing.Optional["HttpRouteFilterSpecUrlRewriteHostnamePathRegex"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecUrlRewriteHostname(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecUrlRewriteHostnamePathRegex",
    jsii_struct_bases=[],
    name_mapping={"pattern": "pattern", "substitution": "substitution"},
)
class HttpRouteFilterSpecUrlRewriteHostnamePathRegex:
    def __init__(self, *, pattern: builtins.str, substitution: builtins.str) -> None:
        '''PathRegex defines a regex match and substitution applied to the request path to compute the rewritten Host header.

        For example, with:
        pathRegex:
        pattern: "^/tenant/([a-z0-9-]+)/.*"
        substitution: "\\1.example.internal"
        a request to "http://foo.bar.com/tenant/tenant1/api/v1" has its upstream Host header rewritten
        to "tenant1.example.internal" (the request path "/tenant/tenant1/api/v1" is preserved).

        :param pattern: Pattern matches a regular expression against the value of the HTTP Path. The regex string must adhere to the syntax documented in https://github.com/google/re2/wiki/Syntax.
        :param substitution: Substitution is an expression that replaces the matched portion. The expression may include numbered capture groups that adhere to syntax documented in https://github.com/google/re2/wiki/Syntax. The resulting value is used as the upstream Host header and should be constrained to a valid DNS hostname by using explicit regex capture groups in Pattern. The NUL, CR, and LF characters are not allowed: they are invalid in an HTTP header value and are rejected by the Envoy proto (well_known_regex HTTP_HEADER_VALUE), which would otherwise cause the generated configuration to be rejected by the data plane.

        :schema: HttpRouteFilterSpecUrlRewriteHostnamePathRegex
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__df6357e009bfff0818fe036d9031d6295d919166331a3e1b8d275beee6a88593)
            check_type(argname="argument pattern", value=pattern, expected_type=type_hints["pattern"])
            check_type(argname="argument substitution", value=substitution, expected_type=type_hints["substitution"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "pattern": pattern,
            "substitution": substitution,
        }

    @builtins.property
    def pattern(self) -> builtins.str:
        '''Pattern matches a regular expression against the value of the HTTP Path.

        The regex string must
        adhere to the syntax documented in https://github.com/google/re2/wiki/Syntax.

        :schema: HttpRouteFilterSpecUrlRewriteHostnamePathRegex#pattern
        '''
        result = self._values.get("pattern")
        assert result is not None, "Required property 'pattern' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def substitution(self) -> builtins.str:
        '''Substitution is an expression that replaces the matched portion.

        The expression may include numbered
        capture groups that adhere to syntax documented in https://github.com/google/re2/wiki/Syntax.

        The resulting value is used as the upstream Host header and should be constrained to a valid
        DNS hostname by using explicit regex capture groups in Pattern.

        The NUL, CR, and LF characters are not allowed: they are invalid in an HTTP header value and are
        rejected by the Envoy proto (well_known_regex HTTP_HEADER_VALUE), which would otherwise cause the
        generated configuration to be rejected by the data plane.

        :schema: HttpRouteFilterSpecUrlRewriteHostnamePathRegex#substitution
        '''
        result = self._values.get("substitution")
        assert result is not None, "Required property 'substitution' is missing"
        return typing.cast(builtins.str, result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecUrlRewriteHostnamePathRegex(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.enum(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecUrlRewriteHostnameType"
)
class HttpRouteFilterSpecUrlRewriteHostnameType(enum.Enum):
    '''HTTPPathModifierType defines the type of Hostname rewrite.

    :schema: HttpRouteFilterSpecUrlRewriteHostnameType
    '''

    HEADER = "HEADER"
    '''Header.'''
    BACKEND = "BACKEND"
    '''Backend.'''
    PATH_REGEX = "PATH_REGEX"
    '''PathRegex.'''


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecUrlRewritePath",
    jsii_struct_bases=[],
    name_mapping={"type": "type", "replace_regex_match": "replaceRegexMatch"},
)
class HttpRouteFilterSpecUrlRewritePath:
    def __init__(
        self,
        *,
        type: "HttpRouteFilterSpecUrlRewritePathType",
        replace_regex_match: typing.Optional[typing.Union["HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''Path defines a path rewrite.

        :param type: HTTPPathModifierType defines the type of path redirect or rewrite.
        :param replace_regex_match: ReplaceRegexMatch defines a path regex rewrite. The path portions matched by the regex pattern are replaced by the defined substitution. https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#envoy-v3-api-field-config-route-v3-routeaction-regex-rewrite Some examples: (1) replaceRegexMatch: pattern: ^/service/([^/]+)(/.*)$ substitution: \\2/instance/\\1 Would transform /service/foo/v1/api into /v1/api/instance/foo. (2) replaceRegexMatch: pattern: one substitution: two Would transform /xxx/one/yyy/one/zzz into /xxx/two/yyy/two/zzz. (3) replaceRegexMatch: pattern: ^(.*?)one(.*)$ substitution: \\1two\\2 Would transform /xxx/one/yyy/one/zzz into /xxx/two/yyy/one/zzz. (3) replaceRegexMatch: pattern: (?i)/xxx/ substitution: /yyy/ Would transform path /aaa/XxX/bbb into /aaa/yyy/bbb (case-insensitive).

        :schema: HttpRouteFilterSpecUrlRewritePath
        '''
        if isinstance(replace_regex_match, dict):
            replace_regex_match = HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch(**replace_regex_match)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__874c481b3ba00abf9b7ee5b7efedf7f6a199112a70aabec0258aa687daedddb8)
            check_type(argname="argument type", value=type, expected_type=type_hints["type"])
            check_type(argname="argument replace_regex_match", value=replace_regex_match, expected_type=type_hints["replace_regex_match"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "type": type,
        }
        if replace_regex_match is not None:
            self._values["replace_regex_match"] = replace_regex_match

    @builtins.property
    def type(self) -> "HttpRouteFilterSpecUrlRewritePathType":
        '''HTTPPathModifierType defines the type of path redirect or rewrite.

        :schema: HttpRouteFilterSpecUrlRewritePath#type
        '''
        result = self._values.get("type")
        assert result is not None, "Required property 'type' is missing"
        return typing.cast("HttpRouteFilterSpecUrlRewritePathType", result)

    @builtins.property
    def replace_regex_match(
        self,
    ) -> typing.Optional["HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch"]:
        '''ReplaceRegexMatch defines a path regex rewrite.

        The path portions matched by the regex pattern are replaced by the defined substitution.
        https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#envoy-v3-api-field-config-route-v3-routeaction-regex-rewrite
        Some examples:
        (1) replaceRegexMatch:
        pattern: ^/service/([^/]+)(/.*)$
        substitution: \\2/instance/\\1
        Would transform /service/foo/v1/api into /v1/api/instance/foo.
        (2) replaceRegexMatch:
        pattern: one
        substitution: two
        Would transform /xxx/one/yyy/one/zzz into /xxx/two/yyy/two/zzz.
        (3) replaceRegexMatch:
        pattern: ^(.*?)one(.*)$
        substitution: \\1two\\2
        Would transform /xxx/one/yyy/one/zzz into /xxx/two/yyy/one/zzz.
        (3) replaceRegexMatch:
        pattern: (?i)/xxx/
        substitution: /yyy/
        Would transform path /aaa/XxX/bbb into /aaa/yyy/bbb (case-insensitive).

        :schema: HttpRouteFilterSpecUrlRewritePath#replaceRegexMatch
        '''
        result = self._values.get("replace_regex_match")
        return typing.cast(typing.Optional["HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecUrlRewritePath(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch",
    jsii_struct_bases=[],
    name_mapping={"pattern": "pattern", "substitution": "substitution"},
)
class HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch:
    def __init__(self, *, pattern: builtins.str, substitution: builtins.str) -> None:
        '''ReplaceRegexMatch defines a path regex rewrite.

        The path portions matched by the regex pattern are replaced by the defined substitution.
        https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#envoy-v3-api-field-config-route-v3-routeaction-regex-rewrite
        Some examples:
        (1) replaceRegexMatch:
        pattern: ^/service/([^/]+)(/.*)$
        substitution: \\2/instance/\\1
        Would transform /service/foo/v1/api into /v1/api/instance/foo.
        (2) replaceRegexMatch:
        pattern: one
        substitution: two
        Would transform /xxx/one/yyy/one/zzz into /xxx/two/yyy/two/zzz.
        (3) replaceRegexMatch:
        pattern: ^(.*?)one(.*)$
        substitution: \\1two\\2
        Would transform /xxx/one/yyy/one/zzz into /xxx/two/yyy/one/zzz.
        (3) replaceRegexMatch:
        pattern: (?i)/xxx/
        substitution: /yyy/
        Would transform path /aaa/XxX/bbb into /aaa/yyy/bbb (case-insensitive).

        :param pattern: Pattern matches a regular expression against the value of the HTTP Path.The regex string must adhere to the syntax documented in https://github.com/google/re2/wiki/Syntax.
        :param substitution: Substitution is an expression that replaces the matched portion.The expression may include numbered capture groups that adhere to syntax documented in https://github.com/google/re2/wiki/Syntax.

        :schema: HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__a405cdde6f0d097c1e298112ccbf542d2dfb5f61c739267f73e5e2bfae71c581)
            check_type(argname="argument pattern", value=pattern, expected_type=type_hints["pattern"])
            check_type(argname="argument substitution", value=substitution, expected_type=type_hints["substitution"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "pattern": pattern,
            "substitution": substitution,
        }

    @builtins.property
    def pattern(self) -> builtins.str:
        '''Pattern matches a regular expression against the value of the HTTP Path.The regex string must adhere to the syntax documented in https://github.com/google/re2/wiki/Syntax.

        :schema: HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch#pattern
        '''
        result = self._values.get("pattern")
        assert result is not None, "Required property 'pattern' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def substitution(self) -> builtins.str:
        '''Substitution is an expression that replaces the matched portion.The expression may include numbered capture groups that adhere to syntax documented in https://github.com/google/re2/wiki/Syntax.

        :schema: HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch#substitution
        '''
        result = self._values.get("substitution")
        assert result is not None, "Required property 'substitution' is missing"
        return typing.cast(builtins.str, result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.enum(
    jsii_type="kasm_constructsimportshttproutefilter_ioenvoyproxygateway.HttpRouteFilterSpecUrlRewritePathType"
)
class HttpRouteFilterSpecUrlRewritePathType(enum.Enum):
    '''HTTPPathModifierType defines the type of path redirect or rewrite.

    :schema: HttpRouteFilterSpecUrlRewritePathType
    '''

    REPLACE_REGEX_MATCH = "REPLACE_REGEX_MATCH"
    '''ReplaceRegexMatch.'''


__all__ = [
    "HttpRouteFilter",
    "HttpRouteFilterProps",
    "HttpRouteFilterSpec",
    "HttpRouteFilterSpecCredentialInjection",
    "HttpRouteFilterSpecCredentialInjectionCredential",
    "HttpRouteFilterSpecCredentialInjectionCredentialValueRef",
    "HttpRouteFilterSpecDirectResponse",
    "HttpRouteFilterSpecDirectResponseBody",
    "HttpRouteFilterSpecDirectResponseBodyValueRef",
    "HttpRouteFilterSpecDirectResponseHeader",
    "HttpRouteFilterSpecDirectResponseHeaderAdd",
    "HttpRouteFilterSpecDirectResponseHeaderSet",
    "HttpRouteFilterSpecMatches",
    "HttpRouteFilterSpecMatchesCookies",
    "HttpRouteFilterSpecMatchesCookiesType",
    "HttpRouteFilterSpecUrlRewrite",
    "HttpRouteFilterSpecUrlRewriteHostname",
    "HttpRouteFilterSpecUrlRewriteHostnamePathRegex",
    "HttpRouteFilterSpecUrlRewriteHostnameType",
    "HttpRouteFilterSpecUrlRewritePath",
    "HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch",
    "HttpRouteFilterSpecUrlRewritePathType",
]

publication.publish()

def _typecheckingstub__5c7180d3c01eb096126dcdb17618cca180d6334f20179b9b715157423603d025(
    scope: _constructs_77d1e7e8.Construct,
    id: builtins.str,
    *,
    spec: typing.Union[HttpRouteFilterSpec, typing.Dict[builtins.str, typing.Any]],
    metadata: typing.Optional[typing.Union[_cdk8s_d3d9af27.ApiObjectMetadata, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__82bb3c3e1494c976d01bc4ed075fe622ae10117f24952c26355c06d032bb3862(
    *,
    spec: typing.Union[HttpRouteFilterSpec, typing.Dict[builtins.str, typing.Any]],
    metadata: typing.Optional[typing.Union[_cdk8s_d3d9af27.ApiObjectMetadata, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__ca7f5d95065e8f35c836b88da75b1dad937636dfb5f54829d86bb758b703abf5(
    *,
    credential_injection: typing.Optional[typing.Union[HttpRouteFilterSpecCredentialInjection, typing.Dict[builtins.str, typing.Any]]] = None,
    direct_response: typing.Optional[typing.Union[HttpRouteFilterSpecDirectResponse, typing.Dict[builtins.str, typing.Any]]] = None,
    matches: typing.Optional[typing.Sequence[typing.Union[HttpRouteFilterSpecMatches, typing.Dict[builtins.str, typing.Any]]]] = None,
    url_rewrite: typing.Optional[typing.Union[HttpRouteFilterSpecUrlRewrite, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__74e2bac6b7bfab3223a6067f2b09243bf9b4ab5fe9ccd26379de143dae0b05e2(
    *,
    credential: typing.Union[HttpRouteFilterSpecCredentialInjectionCredential, typing.Dict[builtins.str, typing.Any]],
    header: typing.Optional[builtins.str] = None,
    overwrite: typing.Optional[builtins.bool] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__11afd34c4ba73a147d7262472f78f8f3a0a1c314f56a6a49f95963f9408eaafe(
    *,
    value_ref: typing.Union[HttpRouteFilterSpecCredentialInjectionCredentialValueRef, typing.Dict[builtins.str, typing.Any]],
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__25c0be5c9e22ac6822a8f45ba638553aa47db583f5b97b02207abe312c05c617(
    *,
    name: builtins.str,
    group: typing.Optional[builtins.str] = None,
    kind: typing.Optional[builtins.str] = None,
    namespace: typing.Optional[builtins.str] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__7e96369881c1f672036c254cb0cb4a42e1fec203c9b97203e214d097df8bb848(
    *,
    body: typing.Optional[typing.Union[HttpRouteFilterSpecDirectResponseBody, typing.Dict[builtins.str, typing.Any]]] = None,
    content_type: typing.Optional[builtins.str] = None,
    header: typing.Optional[typing.Union[HttpRouteFilterSpecDirectResponseHeader, typing.Dict[builtins.str, typing.Any]]] = None,
    status_code: typing.Optional[jsii.Number] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__0b09bcd3a3edefcd7f5f6b93ccc69e11c9cb019a954d47203c145067478296d5(
    *,
    type: builtins.str,
    inline: typing.Optional[builtins.str] = None,
    value_ref: typing.Optional[typing.Union[HttpRouteFilterSpecDirectResponseBodyValueRef, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__3b17c6dbdfb5e3d706a70dc8203db117909fc7efae540a008402c18db28371c0(
    *,
    group: builtins.str,
    kind: builtins.str,
    name: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__1de4ff05f2db5ff18af40e4a4038c5da4ba0069c2ffba129e599d156503cfc03(
    *,
    add: typing.Optional[typing.Sequence[typing.Union[HttpRouteFilterSpecDirectResponseHeaderAdd, typing.Dict[builtins.str, typing.Any]]]] = None,
    remove: typing.Optional[typing.Sequence[builtins.str]] = None,
    set: typing.Optional[typing.Sequence[typing.Union[HttpRouteFilterSpecDirectResponseHeaderSet, typing.Dict[builtins.str, typing.Any]]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__e017942437b08ff5cf65db4c4760cd7b33fd70671b55b79ed92b64eff5666e97(
    *,
    name: builtins.str,
    value: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__9302359919c632878e145907ce6cd3d14246f4315035345229993104ae803005(
    *,
    name: builtins.str,
    value: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__df341043f80dd02a71b4670d0b517b982c6745c9ac77cbb02b5866da1b12dcb2(
    *,
    cookies: typing.Optional[typing.Sequence[typing.Union[HttpRouteFilterSpecMatchesCookies, typing.Dict[builtins.str, typing.Any]]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__49285ad9d2a6449794af4c9921a5a7a9b7e5f81530998a1b6efee580d0b01da1(
    *,
    name: builtins.str,
    value: builtins.str,
    type: typing.Optional[HttpRouteFilterSpecMatchesCookiesType] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__932853f9695030480d6758cc919ef4cd57e3ed8ee6c9aafa8e525db7d020217b(
    *,
    append_x_forwarded_host: typing.Optional[builtins.bool] = None,
    hostname: typing.Optional[typing.Union[HttpRouteFilterSpecUrlRewriteHostname, typing.Dict[builtins.str, typing.Any]]] = None,
    path: typing.Optional[typing.Union[HttpRouteFilterSpecUrlRewritePath, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__21d718424a1cb48f2cd375816897a032fed4420dd1653baf6cefd14ada5f92fa(
    *,
    type: HttpRouteFilterSpecUrlRewriteHostnameType,
    header: typing.Optional[builtins.str] = None,
    path_regex: typing.Optional[typing.Union[HttpRouteFilterSpecUrlRewriteHostnamePathRegex, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__df6357e009bfff0818fe036d9031d6295d919166331a3e1b8d275beee6a88593(
    *,
    pattern: builtins.str,
    substitution: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__874c481b3ba00abf9b7ee5b7efedf7f6a199112a70aabec0258aa687daedddb8(
    *,
    type: HttpRouteFilterSpecUrlRewritePathType,
    replace_regex_match: typing.Optional[typing.Union[HttpRouteFilterSpecUrlRewritePathReplaceRegexMatch, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__a405cdde6f0d097c1e298112ccbf542d2dfb5f61c739267f73e5e2bfae71c581(
    *,
    pattern: builtins.str,
    substitution: builtins.str,
) -> None:
    """Type checking stubs"""
    pass
