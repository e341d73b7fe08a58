"""The API's errors: always JSON `{"error": {"status", "code", "message"}}`, never a page.

Messages are English, like the field names: the API is read by programs and by the people who
write them; `code` is the stable part to test against."""
from __future__ import annotations

from flask import jsonify


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def bad_parameter(name: str, message: str) -> ApiError:
    return ApiError(400, "bad_parameter", f"{name}: {message}")


def not_found() -> ApiError:
    return ApiError(404, "not_found", "Nothing here, or nothing this token may read.")


def respond(error: ApiError):
    response = jsonify(error={"status": error.status, "code": error.code,
                              "message": error.message})
    response.status_code = error.status
    for name, value in error.headers.items():
        response.headers[name] = value
    return response
