"""Value objects a user passes to the constructs (``Home``, ``SecretKeyRef``, ``NetworkPeer``,
``Probe``, ...), and the facts they are checked against (images, ingress controllers). Each is
checked where it is made, and none imports cdk8s."""
