"""The constructs: the only code that imports cdk8s. Each module holds one construct (and
``_tree``, ``_kplus``: where a construct goes, and how a workload joins cdk8s-plus)."""
