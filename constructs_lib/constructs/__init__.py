"""The constructs layer: CDK constructs that translate a loaded service into CloudFormation.

Nothing here reads YAML. User errors are the loader's (``loader/checks.py``,
``loader/resources_check.py``), located in serverless.yml; what a construct still raises is a
``ValueError`` for a Python caller who built its props by hand, and, in ``resources.py``, the one
check only the built stack can answer (:class:`~constructs_lib.constructs.resources.ResourceMergeError`:
``resources`` naming a resource an event builder might have made, and did not).
"""
