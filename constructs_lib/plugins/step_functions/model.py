"""The plugin's own keys (its Joi schemas and what its compilers read): ``stepFunctions`` with
``stateMachines``, ``activities``, ``validate`` and ``noOutput``, validated like ours (located
errors, did-you-mean)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.model.values import Intrinsic
from constructs_lib.config.schema import Base, NotSupported

__all__ = [
    "METRICS",
    "Activity",
    "AlarmMetric",
    "Alarms",
    "AlarmsRoot",
    "CloudWatchEvent",
    "EventsRoot",
    "LoggingConfig",
    "MachineEvent",
    "MachinesRoot",
    "Notifications",
    "NotificationsRoot",
    "Root",
    "ScheduleEvent",
    "StateMachine",
    "StepFunctions",
    "StepFunctionsTop",
]

#: what the plugin's Joi ``arn`` takes: an ``arn:aws...`` string or a Ref/GetAtt/ImportValue/Join
Arn = Annotated[str, StringConstraints(pattern=r"^arn:aws")] | Intrinsic
#: a target or topic of alarms and notifications (any string, or an intrinsic)
Target = str | Intrinsic
#: an activity name (``Name`` of ``AWS::StepFunctions::Activity``)
Activity = Annotated[str, StringConstraints(min_length=1)]


class LoggingConfig(Base):
    level: Literal["ALL", "ERROR", "FATAL", "OFF"] = "OFF"
    include_execution_data: bool = False
    destinations: list[Arn] | None = None


class TracingConfig(Base):
    enabled: bool = False


class EncryptionConfig(Base):
    KmsDataKeyReusePeriodSeconds: float = Field(default=900, alias="KmsDataKeyReusePeriodSeconds")
    KmsKeyId: str = Field(default="", alias="KmsKeyId")
    Type: str = Field(default="AWS_OWNED_KEY", alias="Type")


class RoleStatement(Base):
    """``iamRoleStatements``: added as written after the generated statements."""

    model_config = ConfigDict(alias_generator=None, populate_by_name=True)
    Effect: Literal["Allow", "Deny"] | None = None
    Action: str | list[str] | None = None
    Resource: str | list[JsonValue] | None = None


class StateMachine(Base):
    """``stepFunctions.stateMachines.<name>`` (the plugin's ``compileStateMachines.schema.js``);
    ``events``, ``alarms`` and ``notifications`` are read by their own models."""

    id: Annotated[str, StringConstraints(min_length=1)] | None = None
    name: Annotated[str, StringConstraints(min_length=1)] | None = None
    definition: str | JsonObject
    type: Literal["STANDARD", "EXPRESS"] | None = None
    role: Arn | None = None
    iam_role_statements: list[RoleStatement] | None = None
    kms_key_arns: list[Arn] | None = None
    depends_on: str | list[str] | None = None
    tags: JsonObject | None = None
    inherit_global_tags: bool | None = None
    retain: bool = False
    logging_config: LoggingConfig | None = None
    tracing_config: TracingConfig | None = None
    encryption_config: EncryptionConfig | None = None
    events: list[JsonValue] | None = None
    alarms: JsonValue = None
    notifications: JsonValue = None
    use_exact_version: Literal[False] | NotSupported = False
    configure_task_timeouts: bool = False


class StepFunctions(Base):
    """The top-level ``stepFunctions`` key, its machines validated."""

    state_machines: dict[str, StateMachine] = Field(default_factory=dict)
    activities: list[Activity] = Field(default_factory=list)
    validate_: bool = Field(default=False, alias="validate")
    no_output: bool = False


class StepFunctionsTop(StepFunctions):
    """The top-level key with its machines as written (v3's schema of the plugin's key: unknown
    keys here are flagged as v3 flags them; a machine's own keys are the plugin's strict schema)."""

    state_machines: dict[str, JsonObject] = Field(default_factory=dict)  # type: ignore[assignment]


# ---- events (the plugin reads only the keys below; it ignores any other) ---------------------
class InputTransformer(Base):
    input_paths_map: JsonObject | None = None
    input_template: str


class RetryPolicy(Base):
    maximum_event_age_in_seconds: int | None = None
    maximum_retry_attempts: int | None = None


class ScheduleEvent(Base):
    rate: str
    enabled: bool | None = None
    input: str | JsonObject | None = None
    input_path: str | None = None
    input_transformer: InputTransformer | None = None
    name: str | None = None
    description: str | None = None
    method: Literal["eventBus", "scheduler"] | None = None
    timezone: str | None = None
    retry_policy: RetryPolicy | None = None
    role: Target | None = None


class CloudWatchEvent(Base):
    """``eventBridge`` / ``cloudwatchEvent`` of a state machine (one compiler for both)."""

    event: JsonObject
    enabled: bool | None = None
    input: str | JsonObject | None = None
    input_path: str | None = None
    input_transformer: InputTransformer | None = None
    name: str | None = None
    description: str | None = None
    event_bus_name: Target | None = None
    iam_role: Target | None = None
    dead_letter_config: Target | None = None
    retry_policy: RetryPolicy | None = None


class HttpCors(Base):
    origin: str | None = None
    origins: list[str] | None = None
    headers: list[str] | None = None
    methods: list[str] | None = None
    allow_credentials: bool | None = None
    max_age: int | None = None


class HttpRequest(Base):
    template: dict[str, str] | NotSupported = None  # ``lambda_proxy``: not translated yet


class HttpResponse(Base):
    headers: dict[str, str] | None = None
    template: dict[str, str] | None = None


class HttpAuthorizer(Base):
    """An authorizer of a state machine's ``http`` event: ``AWS_IAM`` or an existing one by
    ``authorizerId``; one the plugin would make (``name`` / ``arn``) is not translated yet."""

    type: str | None = None
    authorizer_id: Target | None = None
    scopes: list[str] | None = None
    name: NotSupported = None
    arn: NotSupported = None
    result_ttl_in_seconds: NotSupported = None
    identity_source: NotSupported = None
    identity_validation_expression: NotSupported = None
    claims: NotSupported = None

    @model_validator(mode="after")
    def _known(self) -> HttpAuthorizer:
        if not (self.type and (self.authorizer_id is not None or self.type.upper() == "AWS_IAM")):
            raise ValueError(
                "sls-cdk translates type: aws_iam or type with authorizerId (an existing authorizer)"
            )
        return self


def _aws_iam(value: JsonValue) -> JsonValue:
    if isinstance(value, str):
        if value.upper() != "AWS_IAM":
            raise ValueError("an authorizer function by name or ARN is not translated yet (aws_iam is)")
        return {"type": "AWS_IAM"}
    return value


class HttpEvent(Base):
    """``http`` of a state machine: a REST API method starting it (the plugin's ``validate.js``)."""

    path: str
    method: str
    cors: bool | HttpCors | None = None
    private: bool | None = None
    iam_role: Target | None = None
    action: str | None = None
    request: HttpRequest | None = None
    response: HttpResponse | None = None
    responses: JsonObject | None = None
    timeout_in_millis: int | None = None
    authorizer: Annotated[HttpAuthorizer, BeforeValidator(_aws_iam)] | None = None

    @model_validator(mode="after")
    def _method(self) -> HttpEvent:
        if self.method.lower() not in ("get", "post", "put", "patch", "options", "head", "delete", "any"):
            raise ValueError(
                f"invalid APIG method {self.method!r}: "
                "AWS supports get, post, put, patch, options, head, delete, any"
            )
        if isinstance(self.cors, HttpCors) and self.cors.origin and self.cors.origins:
            raise ValueError('you can only use "origin" or "origins" to configure CORS, not both')
        if isinstance(self.cors, HttpCors) and self.cors.max_age is not None and self.cors.max_age <= 0:
            raise ValueError("cors.maxAge should be an integer over 0")
        return self


class MachineEvent(Base):
    """One item of a state machine's ``events`` (``http: POST /path`` split on spaces, as the
    plugin splits it)."""

    @model_validator(mode="before")
    @classmethod
    def _rate_only(cls, value: JsonValue) -> JsonValue:
        """``schedule: rate(...)``: the plugin's short form (enabled, no input)."""
        if isinstance(value, dict) and isinstance(value.get("schedule"), str):
            return {**value, "schedule": {"rate": value["schedule"]}}
        if isinstance(value, dict) and isinstance(value.get("http"), str):
            parts = value["http"].split(" ")
            return {**value, "http": {"method": parts[0], "path": parts[1] if len(parts) > 1 else None}}
        return value

    schedule: ScheduleEvent | None = None
    event_bridge: CloudWatchEvent | None = None
    cloudwatch_event: CloudWatchEvent | None = None
    http: HttpEvent | None = None


# ---- alarms and notifications (malformed: the plugin says so and makes none) ------------------
_METRICS = (
    "executionsTimedOut",
    "executionsFailed",
    "executionsAborted",
    "executionThrottled",
    "executionsSucceeded",
)
TreatMissingData = str
Period = Annotated[int, Field(ge=1)]


class AlarmTopics(Base):
    ok: Target | None = None
    alarm: Target | None = None
    insufficient_data: Target | None = None


class AlarmMetric(Base):
    metric: str
    logical_id: str | None = None
    alarm_name: str | None = None
    treat_missing_data: TreatMissingData | None = None
    period: Period | None = None


class Alarms(Base):
    topics: AlarmTopics
    metrics: Annotated[list[str | AlarmMetric], Field(min_length=1)]
    name_template: str | None = None
    treat_missing_data: TreatMissingData | None = None
    period: Period | None = None


class SqsTarget(Base):
    arn: Target
    message_group_id: str


class KinesisTarget(Base):
    arn: Target
    partition_key_path: str | None = None


class NotificationTarget(Base):
    sns: Target | None = None
    sqs: SqsTarget | Target | None = None
    kinesis: KinesisTarget | Target | None = None
    firehose: Target | None = None
    lambda_: Target | None = Field(default=None, alias="lambda")
    step_functions: Target | None = None
    input_path: str | None = None
    input_transformer: InputTransformer | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> NotificationTarget:
        kinds = (self.sns, self.sqs, self.kinesis, self.firehose, self.lambda_, self.step_functions)
        if all(k is None for k in kinds):
            raise ValueError("a target needs one of sns, sqs, kinesis, firehose, lambda, stepFunctions")
        return self


class Notifications(Base):
    ABORTED: list[NotificationTarget] | None = Field(default=None, alias="ABORTED")
    FAILED: list[NotificationTarget] | None = Field(default=None, alias="FAILED")
    RUNNING: list[NotificationTarget] | None = Field(default=None, alias="RUNNING")
    SUCCEEDED: list[NotificationTarget] | None = Field(default=None, alias="SUCCEEDED")
    TIMED_OUT: list[NotificationTarget] | None = Field(default=None, alias="TIMED_OUT")


# ---- wrappers keeping each part at its place in serverless.yml (located problems) ------------
class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _EventsOf(_Open):
    events: list[MachineEvent] | None = None


class _AlarmsOf(_Open):
    alarms: Alarms | None = None


class _NotificationsOf(_Open):
    notifications: Notifications | None = None


class _EventsMachines(_Open):
    state_machines: dict[str, _EventsOf] = Field(alias="stateMachines")


class _AlarmsMachines(_Open):
    state_machines: dict[str, _AlarmsOf] = Field(alias="stateMachines")


class _NotificationsMachines(_Open):
    state_machines: dict[str, _NotificationsOf] = Field(alias="stateMachines")


class EventsRoot(_Open):
    step_functions: _EventsMachines = Field(alias="stepFunctions")


class AlarmsRoot(_Open):
    step_functions: _AlarmsMachines = Field(alias="stepFunctions")


class NotificationsRoot(_Open):
    step_functions: _NotificationsMachines = Field(alias="stepFunctions")


class Root(_Open):
    """``{stepFunctions: ...}`` as written."""

    step_functions: StepFunctionsTop | None = Field(default=None, alias="stepFunctions")


class _StrictMachines(_Open):
    state_machines: dict[str, StateMachine] = Field(alias="stateMachines")


class MachinesRoot(_Open):
    """``{stepFunctions: {stateMachines: ...}}``: every machine against the plugin's schema."""

    step_functions: _StrictMachines = Field(alias="stepFunctions")


METRICS = _METRICS
