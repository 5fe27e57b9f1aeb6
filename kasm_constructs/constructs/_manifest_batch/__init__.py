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

    import constructs as _constructs_77d1e7e8
else:

    _constructs_77d1e7e8 = _LazyImport("constructs")


class ManifestBatch(
    metaclass=jsii.JSIIMeta,
    jsii_type="kasm_constructs_manifest_batch.ManifestBatch",
):
    '''Adds already-rendered Kubernetes manifests to a construct tree as ordinary ``cdk8s.ApiObject``s, thousands per call, for ``kasm_constructs.constructs._batch.add_manifests`` (Python).

    Each manifest becomes exactly what Python's
    ``ApiObject(scope, id, api_version=..., kind=..., metadata=ApiObjectMetadata(...))``, followed by
    one ``add_json_patch(JsonPatch.add("/<key>", value))`` per other top-level key, makes: the same
    class, the same props, the same patches in the same order. So cdk8s applies the chart's
    namespace and labels the same way, sorts the metadata's keys the same way (props are sorted),
    and keeps the body's key order the same way (patched values are not sorted).
    '''

    @jsii.member(jsii_name="add")
    @builtins.classmethod
    def add(
        cls,
        scope: "_constructs_77d1e7e8.Construct",
        chunk: builtins.str,
        sealed: typing.Optional[builtins.str] = None,
    ) -> None:
        '''Add one ``ApiObject`` per entry of ``chunk``, as children of ``scope``, in the order given.

        Python checks the entries first (ids free and unique, apiVersion, kind and metadata.name
        strings); nothing is checked here.

        :param scope: the parent of the new objects (inside a chart).
        :param chunk: a JSON array of entries ``{"id": <construct id>, "manifest": {...}}``.
        :param sealed: when given, the objects refuse any later change (a JSON patch, a change to their metadata) with this message: what was judged is what is written.
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__8c3897664562b1457c19c5ace70c6b7b1d6d89f4cc4beb651a9f700f99afc9af)
            check_type(argname="argument scope", value=scope, expected_type=type_hints["scope"])
            check_type(argname="argument chunk", value=chunk, expected_type=type_hints["chunk"])
            check_type(argname="argument sealed", value=sealed, expected_type=type_hints["sealed"])
        return typing.cast(None, jsii.sinvoke(cls, "add", [scope, chunk, sealed]))

    @jsii.member(jsii_name="remove")
    @builtins.classmethod
    def remove(cls, scope: "_constructs_77d1e7e8.Construct", ids: builtins.str) -> None:
        '''Remove the children of ``scope`` with the ids of ``ids`` (those it has), e.g. the objects an ``add`` made before a later one failed.

        :param scope: the construct the manifests were added to.
        :param ids: a JSON array of construct ids.
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__9b352c5702f3bd8ad112821d0b74bf8cf86898076ca3d6461af304151f18c93a)
            check_type(argname="argument scope", value=scope, expected_type=type_hints["scope"])
            check_type(argname="argument ids", value=ids, expected_type=type_hints["ids"])
        return typing.cast(None, jsii.sinvoke(cls, "remove", [scope, ids]))

    @jsii.member(jsii_name="taken")
    @builtins.classmethod
    def taken(
        cls,
        scope: "_constructs_77d1e7e8.Construct",
        ids: builtins.str,
    ) -> builtins.str:
        '''The ids of ``ids`` that ``scope`` already has a child with.

        :param scope: the construct the manifests are to be added to.
        :param ids: a JSON array of construct ids.

        :return: a JSON array of the ids that are taken, in the order given
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__a4125daa89452512cc3227eeb377dc0520d21a8e277e40fda6d835cb9f615f79)
            check_type(argname="argument scope", value=scope, expected_type=type_hints["scope"])
            check_type(argname="argument ids", value=ids, expected_type=type_hints["ids"])
        return typing.cast(builtins.str, jsii.sinvoke(cls, "taken", [scope, ids]))


__all__ = [
    "ManifestBatch",
]

publication.publish()

def _typecheckingstub__8c3897664562b1457c19c5ace70c6b7b1d6d89f4cc4beb651a9f700f99afc9af(
    scope: _constructs_77d1e7e8.Construct,
    chunk: builtins.str,
    sealed: typing.Optional[builtins.str] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__9b352c5702f3bd8ad112821d0b74bf8cf86898076ca3d6461af304151f18c93a(
    scope: _constructs_77d1e7e8.Construct,
    ids: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__a4125daa89452512cc3227eeb377dc0520d21a8e277e40fda6d835cb9f615f79(
    scope: _constructs_77d1e7e8.Construct,
    ids: builtins.str,
) -> None:
    """Type checking stubs"""
    pass
