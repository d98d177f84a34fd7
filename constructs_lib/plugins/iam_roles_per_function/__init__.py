"""serverless-iam-roles-per-function 3.2.0: a role of its own for every function with
``iamRoleStatements``, cloned from the generated ``IamRoleLambdaExecution`` as the plugin clones it
(``before:package:finalize``: after v3 compiled functions and events, before ``resources`` merge)."""

from constructs_lib.plugins.iam_roles_per_function.settings import (
    PLUGIN,
    FunctionRole,
    check_roles_per_function,
    function_roles,
)

__all__ = ["PLUGIN", "FunctionRole", "check_roles_per_function", "function_roles"]
