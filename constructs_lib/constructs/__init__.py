"""The constructs layer: CDK constructs that translate a loaded service into CloudFormation.

Nothing here reads YAML or raises a user error: the loader has checked everything first.
"""
