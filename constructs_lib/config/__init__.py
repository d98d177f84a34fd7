"""Reading configuration: YAML with positions, variables, the typed model, compose files.

Nothing in this package imports aws_cdk, so ``check``, ``print`` and the config tests stay fast.
"""
