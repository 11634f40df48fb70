"""Errors of miter commands (exit code 2)."""
from __future__ import annotations

from typing import Any, Mapping, Optional


class MiterError(Exception):
    """A miter command failed (exit code 2): bad input, bad options, unreadable file.

    Attributes come from the CLI's miter.error.v1 object: message, text (the full
    'file:line:column: message'), file, line, column, byte_offset (None when absent)."""

    def __init__(self, message: str, *, text: Optional[str] = None, file: Optional[str] = None,
                 line: Optional[int] = None, column: Optional[int] = None,
                 byte_offset: Optional[int] = None, result: Optional[Mapping[str, Any]] = None):
        super().__init__(text or message)
        self.message = message
        self.text = text or message
        self.file = file
        self.line = line
        self.column = column
        self.byte_offset = byte_offset
        self.result = result
        self.exit_code = 2

    @classmethod
    def from_result(cls, result: Optional[Mapping[str, Any]], output: Optional[str] = None) -> "MiterError":
        err = (result or {}).get("error") if isinstance(result, Mapping) else None
        if not isinstance(err, Mapping):
            msg = (output or "").strip() or "miter failed (exit code 2)"
            return cls(msg, result=result)
        return cls(err.get("message") or err.get("text") or "error", text=err.get("text"),
                   file=err.get("file"), line=err.get("line"), column=err.get("column"),
                   byte_offset=err.get("byte_offset"), result=result)


class WorkerCrashed(MiterError):
    """The `miter serve` process died while answering (it is restarted on the next request)."""
