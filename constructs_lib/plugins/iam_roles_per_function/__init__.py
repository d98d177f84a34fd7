"""serverless-iam-roles-per-function 3.2.0: a role of its own for every function with
``iamRoleStatements``, cloned from the generated ``IamRoleLambdaExecution`` as the plugin clones it
(``before:package:finalize``: after v3 compiled functions and events, before ``resources`` merge).

:mod:`.model` its keys, :mod:`.settings` what it makes of a service (at load, no CDK),
:mod:`.roles` the roles in the stack. Nothing is imported here: the loader's name checks import
:mod:`.model`, which must not pull the rest in."""
