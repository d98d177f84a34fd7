"""Reading configuration: YAML with positions, variables, the typed model, compose files.

Nothing in this package imports aws_cdk, so ``check``, ``print`` and the config tests stay fast.

==============  ==============================================================================
``files``       which files make a project (no pydantic, no YAML)
``data``        the names of raw data's shapes: ``JsonValue``, ``JsonObject``, ``KeyPath``...
``defaults``    the stage and region rules, and the defaults needed before the model exists
``source``      YAML 1.2 with every value's file, line and column
``varsyntax``   the parser of ``${...}``
``variables``   resolution: the engine and the sources (``self``, ``opt``, ``ssm``...)
``aws_lookup``  the synth-time AWS reads some sources need
``schema``      the model's building blocks (``Base``, ``ListOf``, ``CfnValue``...)
``validate``    pydantic's errors as located messages; ``configValidationMode``
``model``       the typed model of a service, one module per concept
``compose``     ``serverless-compose.yml``
==============  ==============================================================================
"""
