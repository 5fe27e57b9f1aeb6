"""Kubernetes knowledge as data (names and quantities, kinds, API versions) and manifests as
files: kubectl's exact reader (``kubeyaml``) and a model of what cdk8s's writer quotes; the
pinned CRDs' schemas (``crds``) and the API server's checks of custom resources against them
(``structural``, ``formats``, ``goregexp``, ``crdcel``; ``crdvalidate`` needs the
``kasm-constructs[validate]`` extra)."""
