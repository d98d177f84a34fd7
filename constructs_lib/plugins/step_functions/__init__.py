"""serverless-step-functions 3.31.2: state machines, their roles, activities, alarms,
notifications and schedule / EventBridge events, compiled as the plugin compiles them during
``sls package`` (``http`` events of state machines are not translated yet: a located error)."""

from constructs_lib.plugins.step_functions.compile import Compiled, compile_plugin, context_for, plugin_output
from constructs_lib.plugins.step_functions.settings import PLUGIN, PluginWarning

__all__ = ["PLUGIN", "Compiled", "PluginWarning", "compile_plugin", "context_for", "plugin_output"]
