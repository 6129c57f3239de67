"""Small laws of the connector's parts: safe messages, status mapping, user ids, merges, deadlines."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.connector import (
    Deadline,
    Secret,
    applied_writes,
    credentials_from,
    deep_merge,
    sanitise_message,
    stable_user_id,
    translation_error,
    vendor_status_error,
)
from matter_map.errors import TranslationError, TranslationProblem
from matter_map.ids import decode_device_id

from .conftest import compiled

MESSAGE = re.compile(r"[\sa-zA-Z0-9_.,@-]+", re.ASCII)
USER_ID = re.compile(r"[a-zA-Z0-9_.,@-]{1,64}")


@given(st.text())
def test_every_message_is_made_valid(text: str) -> None:
    cleaned = sanitise_message(text)
    assert MESSAGE.fullmatch(cleaned)
    assert 1 <= len(cleaned) <= 256
    assert sanitise_message(cleaned) == cleaned  # already valid text is kept


@given(st.from_regex(r"[a-zA-Z0-9_.,@-]([a-zA-Z0-9_.,@ -]{0,100}[a-zA-Z0-9_.,@-])?", fullmatch=True))
def test_valid_messages_pass_unchanged(text: str) -> None:
    assert sanitise_message(re.sub(" +", " ", text)) == re.sub(" +", " ", text)


def test_messages_lose_what_the_pattern_refuses() -> None:
    assert sanitise_message('MoveToLevel.Level = 300: {"x": "/y"}') == "MoveToLevel.Level 300, x , y"
    assert sanitise_message("") == "error"
    assert len(sanitise_message("a" * 1000)) == 256


@given(st.text(min_size=1, max_size=200))
def test_user_ids_fit_the_pattern_and_are_stable(vendor_id: str) -> None:
    user = stable_user_id(vendor_id)
    assert USER_ID.fullmatch(user)
    assert stable_user_id(vendor_id) == user
    if not user.startswith("sha256-"):
        assert decode_device_id(user) == vendor_id  # short ids stay reversible


@pytest.mark.parametrize(
    ("vendor", "status", "code"),
    [(401, 401, "unauthorized"), (403, 401, "unauthorized"), (404, 404, "not-found"), (429, 429, "throttled")]
    + [(s, 503, "vendor-unavailable") for s in (500, 502, 503, 504, 599)]
    + [(s, 400, "vendor-rejected") for s in (400, 405, 409, 410, 422)],
)
def test_vendor_statuses_map_onto_connector_statuses(vendor: int, status: int, code: str) -> None:
    error = vendor_status_error(vendor, "the device")
    assert (error.status, error.code, error.vendor_status) == (status, code, vendor)


@pytest.mark.parametrize(
    ("codes", "status"),
    [
        (["out-of-range"], 400),
        (["bad-command", "unsupported"], 400),
        (["no-matching-mapping"], 404),
        (["bad-vendor-value"], 500),
        (["out-of-range", "bad-vendor-value"], 500),
    ],
)
def test_translation_problems_map_onto_statuses(codes: list[str], status: int) -> None:
    error = translation_error(TranslationError(TranslationProblem(c, f"{c} happened") for c in codes))
    assert error.status == status
    assert MESSAGE.fullmatch(error.message)


def test_deep_merge_merges_objects_and_replaces_the_rest() -> None:
    target: dict[str, Any] = {"on": {"on": True}, "dimming": {"brightness": 5.0, "min": 1}, "list": [1]}
    deep_merge(target, {"dimming": {"brightness": 50.0}, "list": [2], "new": {"a": 1}})
    assert target == {"on": {"on": True}, "dimming": {"brightness": 50.0, "min": 1}, "list": [2], "new": {"a": 1}}


def test_applied_writes_follow_the_merge_encoding() -> None:
    light = compiled("extended_color_light")
    state = {"id": "x", "on": {"on": False}, "dimming": {"brightness": 1.0}}
    requests = [{"method": "PUT", "url": "/x", "headers": {}, "body": {"on": {"on": True}}}]
    assert applied_writes(light, state, requests) == {"id": "x", "on": {"on": True}, "dimming": {"brightness": 1.0}}
    assert state["on"] == {"on": False}  # the input is not changed
    motion = compiled("motion_sensor")  # no write encoding
    assert applied_writes(motion, state, requests) is None


def test_deadlines_count_down() -> None:
    now = [100.0]
    deadline = Deadline.after(1.5, clock=lambda: now[0])
    assert deadline.remaining() == 1.5
    assert deadline.earlier_by(0.4).remaining() == pytest.approx(1.1)
    now[0] = 102.0
    assert deadline.remaining() == 0.0


def test_credentials_from_both_auth_kinds() -> None:
    oauth = credentials_from({"header": {"auth": {"type": "OAuth2.0", "token": "t"}}}, lambda arn, v: Secret("unused"))
    assert (oauth.kind, oauth.token.reveal()) == ("OAuth2.0", "t")
    reference = {"type": "GeneralAuthorization", "secretsManager": {"arn": "arn:s", "versionId": "v"}}
    general = credentials_from({"header": {"auth": reference}}, lambda arn, v: Secret(f"{arn}|{v}"))
    assert (general.kind, general.token.reveal()) == ("GeneralAuthorization", "arn:s|v")
    assert "arn:s" not in repr(general)
