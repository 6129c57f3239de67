"""SendCommand done once per traceId: Powertools' idempotency utility over the connector's DynamoDB table.

The vendor work of a command (its requests and the resulting state) is the idempotent unit; the
DEVICE_COMMAND_RESPONSE is sent after it on every attempt. So when delivering the event fails and the service
retries, the retry is answered from the record and re-sends the event, while the vendor is called once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from matter_map.connector._deadline import Deadline
from matter_map.connector._errors import ConnectorError

log = logging.getLogger("matter_map.connector.idempotency")

#: the partition of the table the records live in (`sk` is Powertools' hashed key)
RECORDS_PK = "IDEMPOTENCY#send-command"
DEFAULT_EXPIRY_S = 3600

CommandWork = Callable[..., dict[str, Any]]


class IdempotentCommands:
    """Run a command's vendor work at most once per `traceId` (and refuse a reused traceId for another command)."""

    def __init__(self, table_name: str, client: Any, *, expires_after_s: int = DEFAULT_EXPIRY_S) -> None:
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig

        self.persistence = DynamoDBPersistenceLayer(
            table_name=table_name,
            key_attr="pk",
            sort_key_attr="sk",
            static_pk_value=RECORDS_PK,
            boto3_client=client,
        )
        self.config = IdempotencyConfig(
            event_key_jmespath="traceId",
            payload_validation_jmespath="[connectorDeviceId, endpoints]",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=expires_after_s,
        )

    def run(
        self, work: CommandWork, command: dict[str, Any], *, deadline: Deadline, **arguments: Any
    ) -> dict[str, Any]:
        """`work(command=command, deadline=deadline, **arguments)`, or what it returned for this traceId before.

        The record counts as in progress until `deadline`: an attempt that dies mid-way stops blocking the
        service's retry once its own time is up.
        """
        self.config.register_lambda_context(_UntilDeadline(deadline))  # type: ignore[arg-type]
        arguments["deadline"] = deadline
        from aws_lambda_powertools.utilities.idempotency import idempotent_function
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
            IdempotencyPersistenceLayerError,
            IdempotencyValidationError,
        )

        once = idempotent_function(
            work,
            data_keyword_argument="command",
            persistence_store=self.persistence,
            config=self.config,
            key_prefix="send-command",
        )
        try:
            result: dict[str, Any] = once(command=command, **arguments)
        except IdempotencyValidationError:
            raise ConnectorError(400, "trace-id-reused", "the traceId was used before for another command") from None
        except IdempotencyAlreadyInProgressError:
            raise ConnectorError(503, "command-in-progress", "the command with this traceId is still running") from None
        except IdempotencyPersistenceLayerError as exc:
            log.warning("idempotency record not available: %s", type(exc).__name__)
            raise ConnectorError(503, "store-unavailable", "the idempotency record could not be read") from None
        return result


class _UntilDeadline:
    """What Powertools reads of a Lambda context: the time left, here until the command's deadline."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return int(self.deadline.remaining() * 1000)
