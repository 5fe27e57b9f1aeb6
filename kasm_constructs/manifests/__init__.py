"""Kubernetes knowledge as data (names and quantities, kinds, API versions) and manifests as
files: kubectl's exact reader (``kubeyaml``) and a model of what cdk8s's writer quotes."""
