"""The OpenAI Batch API for :class:`briefing.testing.fakeserver.FakeOpenAIServer`.

Mounted on every fake server (``server.batch``): ``POST /v1/files`` (a
multipart upload, purpose ``batch``), ``GET /v1/files/{id}/content``,
``POST /v1/batches``, ``GET /v1/batches/{id}`` and
``POST /v1/batches/{id}/cancel``. Each request line of a batch is answered
by the server's own responder and fault queue, as if it had come to
``/v1/chat/completions``; the job then moves validating -> in_progress ->
its outcome one step per poll, ``requests_per_poll`` requests at a time.
``outcome`` chooses how it ends::

    server.batch.outcome = "failed"    # no output file, errors[] says why
    server.batch.outcome = "expired"   # only the first `expire_after` answers, the rest in the error file
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from briefing.testing.fakeserver import FakeOpenAIServer

__all__ = ["FakeBatchAPI"]

Outcome = Literal["completed", "failed", "expired"]


@dataclass
class _Job:
    id: str
    input_file_id: str
    lines: list[dict[str, Any]]
    outcome: Outcome
    expire_after: int
    status: str = "validating"
    done: int = 0
    created_at: int = field(default_factory=lambda: int(time.time()))
    output_file_id: str | None = None
    error_file_id: str | None = None


class FakeBatchAPI:
    """Files and batches endpoints; answers come from the mounting server's responder."""

    def __init__(self, server: FakeOpenAIServer) -> None:
        self.server = server
        self.files: dict[str, tuple[str, bytes]] = {}
        self.jobs: dict[str, _Job] = {}
        self.outcome: Outcome = "completed"
        self.expire_after = 1
        self.requests_per_poll = 2
        self.polls = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def handles(self, path: str) -> bool:
        return path.startswith(("/v1/files", "/v1/batches"))

    # -- routing (called by the fake server's handler) --

    def get(self, path: str) -> tuple[int, bytes, str]:
        parts = path.split("?", 1)[0].strip("/").split("/")  # v1, files|batches, id, [content]
        with self._lock:
            if parts[1] == "files" and len(parts) == 4 and parts[3] == "content" and parts[2] in self.files:
                return 200, self.files[parts[2]][1], "application/octet-stream"
            if parts[1] == "batches" and len(parts) == 3 and parts[2] in self.jobs:
                self.polls += 1
                job = self.jobs[parts[2]]
                self._advance(job)
                return 200, json.dumps(self._batch_object(job)).encode(), "application/json"
        return (
            404,
            b'{"error": {"message": "no such object", "type": "invalid_request_error"}}',
            "application/json",
        )

    def post(self, path: str, content_type: str, raw: bytes) -> tuple[int, bytes, str]:
        parts = path.split("?", 1)[0].strip("/").split("/")
        if parts[1:] == ["files"]:
            return self._upload(content_type, raw)
        if parts[1:] == ["batches"]:
            try:
                request = json.loads(raw)
            except ValueError:
                return _error(400, "body is not JSON")
            return self._create(request)
        if parts[1] == "batches" and len(parts) == 4 and parts[3] == "cancel" and parts[2] in self.jobs:
            with self._lock:
                job = self.jobs[parts[2]]
                job.status = "cancelled"
                return 200, json.dumps(self._batch_object(job)).encode(), "application/json"
        return _error(404, "not found")

    # -- endpoints --

    def _upload(self, content_type: str, raw: bytes) -> tuple[int, bytes, str]:
        message = BytesParser(policy=HTTP).parsebytes(f"content-type: {content_type}\r\n\r\n".encode() + raw)
        fields: dict[str, tuple[str | None, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            fields[str(name)] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
        if fields.get("purpose", (None, b""))[1] != b"batch" or "file" not in fields:
            return _error(400, "expected a file with purpose=batch")
        filename, data = fields["file"]
        with self._lock:
            file_id = f"file-fake{next(self._ids)}"
            self.files[file_id] = (filename or "upload.jsonl", data)
        body = {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": int(time.time()),
            "filename": filename or "upload.jsonl",
            "purpose": "batch",
            "status": "processed",
        }
        return 200, json.dumps(body).encode(), "application/json"

    def _create(self, request: dict[str, Any]) -> tuple[int, bytes, str]:
        file_id = str(request.get("input_file_id"))
        if request.get("endpoint") != "/v1/chat/completions" or request.get("completion_window") != "24h":
            return _error(400, "endpoint must be /v1/chat/completions and completion_window 24h")
        with self._lock:
            if file_id not in self.files:
                return _error(404, f"no file {file_id}")
            try:
                lines = [json.loads(x) for x in self.files[file_id][1].decode().splitlines() if x.strip()]
            except ValueError:
                return _error(400, "input file is not JSONL")
            ids = [line.get("custom_id") for line in lines]
            if len(set(ids)) != len(ids) or not all(isinstance(i, str) and i for i in ids):
                return _error(400, "custom_id must be unique non-empty strings")
            job = _Job(f"batch_fake{next(self._ids)}", file_id, lines, self.outcome, self.expire_after)
            self.jobs[job.id] = job
            return 200, json.dumps(self._batch_object(job)).encode(), "application/json"

    # -- the job's life --

    def _advance(self, job: _Job) -> None:
        if job.status in ("completed", "failed", "expired", "cancelled"):
            return
        if job.status == "validating":
            job.status = "failed" if job.outcome == "failed" else "in_progress"
            return
        limit = min(len(job.lines), job.expire_after) if job.outcome == "expired" else len(job.lines)
        job.done = min(limit, job.done + self.requests_per_poll)
        if job.done >= limit:
            self._finish(job)

    def _finish(self, job: _Job) -> None:
        answered, errors = [], []
        for n, line in enumerate(job.lines):
            if n >= job.done:
                errors.append(
                    {
                        "id": f"req_{n}",
                        "custom_id": line["custom_id"],
                        "response": None,
                        "error": {"code": "batch_expired", "message": "not processed in the window"},
                    }
                )
                continue
            body = line.get("body") or {}
            reply, _ = self.server._next_reply(body)
            status = reply.status
            payload = json.loads(reply.body or self.server.completion_body(body, reply))
            answered.append(
                {
                    "id": f"req_{n}",
                    "custom_id": line["custom_id"],
                    "response": {"status_code": status, "request_id": f"rq{n}", "body": payload},
                    "error": None,
                }
            )
        job.output_file_id = self._store(f"{job.id}_output.jsonl", answered)
        job.error_file_id = self._store(f"{job.id}_errors.jsonl", errors) if errors else None
        job.status = "expired" if job.outcome == "expired" else "completed"

    def _store(self, name: str, rows: list[dict[str, Any]]) -> str:
        file_id = f"file-fake{next(self._ids)}"
        self.files[file_id] = (name, "".join(json.dumps(r) + "\n" for r in rows).encode())
        return file_id

    def _batch_object(self, job: _Job) -> dict[str, Any]:
        failed = job.status == "failed"
        return {
            "id": job.id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "input_file_id": job.input_file_id,
            "completion_window": "24h",
            "status": job.status,
            "created_at": job.created_at,
            "output_file_id": job.output_file_id,
            "error_file_id": job.error_file_id,
            "errors": {
                "object": "list",
                "data": [
                    {"code": "invalid_request", "message": "the input file failed validation", "line": 1}
                ],
            }
            if failed
            else None,
            "request_counts": {
                "completed": job.done if not failed else 0,
                "failed": (len(job.lines) - job.done) if job.status == "expired" else 0,
                "total": len(job.lines),
            },
        }


def _error(status: int, message: str) -> tuple[int, bytes, str]:
    body = {"error": {"message": message, "type": "invalid_request_error"}}
    return status, json.dumps(body).encode(), "application/json"
