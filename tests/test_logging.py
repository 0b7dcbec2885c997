"""Requests Django refuses as suspicious are answered with their 400 and logged in one line, not a traceback."""

import io
import logging
from http import HTTPStatus

import pytest
from django.conf import settings

MANY = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1


@pytest.fixture
def log_output():
    """Everything the configured log handlers write, as the server's log would show it."""
    output = io.StringIO()
    loggers = [logging.getLogger(name) for name in [None, *settings.LOGGING["loggers"]]]
    # The handlers LOGGING configures (dictConfig names them), not the ones pytest adds to capture logs.
    handlers = {handler for logger in loggers for handler in logger.handlers if handler.name in settings.LOGGING["handlers"]}
    streams = [(handler, handler.setStream(output)) for handler in handlers]
    assert len(streams) == len(settings.LOGGING["handlers"])
    yield output
    for handler, stream in streams:
        handler.setStream(stream)


@pytest.mark.parametrize(
    ("request_kwargs", "logged"),
    [
        ({"path": "/", "HTTP_HOST": "attacker.example"}, "Invalid HTTP_HOST header: 'attacker.example'"),
        ({"path": "/critiques/?" + "&".join(f"p{n}=1" for n in range(MANY))}, "The number of GET/POST parameters exceeded"),
        ({"path": "/admin/login/", "method": "post", "data": {f"p{n}": "1" for n in range(MANY)}}, "parameters exceeded"),
    ],
    ids=["bad-host", "too-many-query-parameters", "too-many-form-fields"],
)
def test_a_suspicious_request_is_a_400_and_one_log_line(client, db, log_output, request_kwargs, logged):
    method = getattr(client, request_kwargs.pop("method", "get"))
    response = method(**request_kwargs)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert logged in lines[0]
    assert "Traceback" not in log_output.getvalue()
