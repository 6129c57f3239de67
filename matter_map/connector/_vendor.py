"""What the connector needs from a vendor cloud: the user, the devices, one device's state, requests, revocation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from matter_map.connector._auth import Credentials
from matter_map.connector._deadline import Deadline


class VendorClient(Protocol):
    """A vendor cloud seen through one user's credentials; every call finishes by `deadline` or raises.

    Failures are raised as `VendorError` with the connector status already mapped (401, 404, 429, 503, 400).
    """

    def user_id(self, credentials: Credentials, deadline: Deadline) -> str:
        """A stable id of the vendor account (the same for every token of that account)."""
        ...

    def list_devices(self, credentials: Credentials, deadline: Deadline) -> list[Any]:
        """Every device state (vendor JSON) of the account."""
        ...

    def get_state(self, credentials: Credentials, device_id: str, deadline: Deadline) -> Any:
        """One device's current state (vendor JSON)."""
        ...

    def send(self, credentials: Credentials, request: Mapping[str, Any], deadline: Deadline) -> Any:
        """Perform one translated request `{method, url, headers, body}`; returns the decoded response body."""
        ...

    def revoke(self, credentials: Credentials, deadline: Deadline) -> None:
        """Invalidate the credentials at the vendor, where the vendor offers that."""
        ...
