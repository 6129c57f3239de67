"""Parse the two command forms (SendManagedThingCommand by names, AWS.SendCommand by hex ids) into one."""

from __future__ import annotations

from matter_map.runtime import GENERIC_ACTIONS, CommandCall, ParsedCommand, parse_command

__all__ = ["GENERIC_ACTIONS", "CommandCall", "ParsedCommand", "parse_command"]
