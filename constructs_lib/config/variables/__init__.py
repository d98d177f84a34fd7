"""Resolution of Serverless v3 variables over a parsed configuration.

Sources are plug-ins behind one small interface (:mod:`.base`): a function
``(address, resolver) -> value`` that returns :data:`MISSING` when it has no value (so the next
fallback is tried). They live in :mod:`.sources` and are registered in :data:`SOURCES`; the
engine (:mod:`.engine`) walks the configuration. All problems are collected and raised together
as one :class:`~constructs_lib.errors.ErrorGroup`.

What each source becomes (values AWS alone knows stay deploy-time CloudFormation):

=====================  ===========================================================================
``${opt:x}``           the option given on the command line / CDK context (``-c x=..``), as text
``${self:a.b}``        the resolved value at that path of this configuration (any type)
``${env:X}``           the environment variable, as text (``.env`` files load with ``useDotenv``)
``${sls:stage}``       the stage in force (option, else ``provider.stage``, else ``dev``)
``${sls:instanceId}``  a stable id derived from service and stage (v3 draws a random one per run)
``${param:k}``         ``--param k=v``, else compose ``params``, else ``params.<stage>``/``default``
``${file(p):a.b}``     YAML / JSON / text file inside the project root (:mod:`.root`); ``.js`` /
                       ``.cjs`` run with Node only when allowed (:mod:`.javascript`)
``${strToBool(x)}``    ``true``/``false``/``1``/``0`` -> boolean
``${aws:accountId}``   ``{"Ref": "AWS::AccountId"}``; ``partition`` -> ``AWS::Partition``;
                       ``region`` -> the region of the stack (known at synth time)
``${ssm:/p}``          the dynamic reference ``{{resolve:ssm:/p}}``, read by CloudFormation at deploy;
                       ``/aws/reference/secretsmanager/id`` -> ``{{resolve:secretsmanager:id}}``
``${ssm(reg):/p}``     another region: read at synth time with boto3 (StringList -> list; a
                       secret's JSON -> object unless ``raw``; ``noDecrypt`` honoured)
``${cf:stack.Key}``    a stack of this app -> ``Fn::ImportValue`` of its v3 export name; another
                       deployed stack -> ``Fn::ImportValue`` when the output is exported, else its
                       value read at synth time with boto3
``${cf(reg):s.Key}``   another region: the output's value, read at synth time (exports are regional)
``${s3:bucket/key}``   the object's text, read at synth time with boto3
=====================  ===========================================================================

Synth-time reads need AWS credentials; without them the error says so and names the key. A
missing stack, output, object or parameter counts as "no value", so fallbacks apply.
"""

from __future__ import annotations

from constructs_lib.config.variables.base import MISSING, Address, ResolveContext, Source
from constructs_lib.config.variables.engine import Resolver, resolve_config
from constructs_lib.config.variables.root import ProjectRoot, decide_project_root
from constructs_lib.config.variables.sources import SOURCES

__all__ = [
    "MISSING",
    "SOURCES",
    "Address",
    "ProjectRoot",
    "ResolveContext",
    "Resolver",
    "Source",
    "decide_project_root",
    "resolve_config",
]
