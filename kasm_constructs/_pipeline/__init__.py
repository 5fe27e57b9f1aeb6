"""The pure steps from what a user asked for to manifest bodies: the model (what may be asked,
and what was decided), ``resolve``, ``render``, a fleet's ``plan``, and the roster reader. No
jsii: every step is unit-tested without it."""
