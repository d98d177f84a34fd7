"""serverless-python-requirements 6.1.2, translated: the function's Python requirements installed
for its runtime and architecture and put where the plugin puts them (into the zip, a
``.requirements.zip``, or a Lambda layer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from constructs_lib.config.model import Service
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode
from constructs_lib.errors import SlsCdkError
from constructs_lib.packaging_plugins.python_requirements.options import read_options

if TYPE_CHECKING:
    from constructs_lib.packaging_plugins import BuildContext, PluginOutput

__all__ = ["PythonRequirements"]


class PythonRequirements:
    """The builder (see :class:`constructs_lib.packaging_plugins.Builder`)."""

    def check(
        self, model: Service, sources: SourceMap, mode: ValidationMode
    ) -> tuple[list[SlsCdkError], list[SlsCdkError]]:
        _, warnings, errors = read_options(model.custom, sources, mode)
        return warnings, errors

    def build(self, ctx: BuildContext) -> PluginOutput:
        from constructs_lib.packaging_plugins import PluginOutput

        return PluginOutput()
