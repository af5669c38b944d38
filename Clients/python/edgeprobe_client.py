"""A small client for edgeprobe's latency source: the HTTP service and the command line.

Both return the `latency` record as a dict (see Schemas/latency.schema.json); only the
standard library is used.
"""
from __future__ import annotations

import json
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request


class EdgeprobeError(RuntimeError):
    """An error answer from the service or the command: status, field and problem."""

    def __init__(self, status: int, field: str, problem: str):
        super().__init__(f"{status} {field}: {problem}")
        self.status, self.field, self.problem = status, field, problem


def mobilenet_spec(name, resolution, stem_cout, stages, head_cout=1280, classes=1000):
    """An architecture spec (as a dict, sent as JSON) from stages of (cout, stride, [(kernel, expand), ...])."""
    blocks = []
    for cout, stride, layers in stages:
        for index, (kernel, expand) in enumerate(layers):
            blocks.append({"type": "inverted_residual", "kernel": kernel, "expand": expand,
                           "cout": cout, "stride": stride if index == 0 else 1})
    return {"name": name, "resolution": resolution, "channels": 3,
            "stem": {"cout": stem_cout, "kernel": 3, "stride": 2}, "blocks": blocks,
            "head": {"cout": head_cout, "pool": "global_average", "classes": classes}}


class HTTPClient:
    """`POST /v1/latency` and `GET /v1/health` of `edgeprobe latency serve` (or the agent)."""

    def __init__(self, url="http://127.0.0.1:8321", token=None, timeout=300):
        self.url, self.token, self.timeout = url.rstrip("/"), token, timeout

    def _request(self, method, path, body=None):
        request = urllib.request.Request(self.url + path, data=body, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            try:
                detail = json.loads(error.read())["error"]
                raise EdgeprobeError(detail["status"], detail["field"], detail["problem"]) from None
            except (ValueError, KeyError):
                raise EdgeprobeError(error.code, "http", str(error)) from None

    def health(self):
        """The service's state: busy, queued, limits."""
        return self._request("GET", "/v1/health")

    def latency(self, spec, accuracy=None, target_ms=None, hard_constraint=False, min_time_s=None, seed=None):
        """Measures `spec` (a dict or YAML text) and returns the latency record."""
        query = {}
        if accuracy is not None:
            query.update(accuracy=accuracy, target_ms=target_ms, constraint="hard" if hard_constraint else "soft")
        if min_time_s is not None:
            query["min_time_s"] = min_time_s
        if seed is not None:
            query["seed"] = seed
        body = spec.encode() if isinstance(spec, str) else json.dumps(spec).encode()
        path = "/v1/latency" + ("?" + urllib.parse.urlencode(query) if query else "")
        return self._request("POST", path, body)


class CLIClient:
    """Runs `edgeprobe latency --arch FILE` and parses its record."""

    def __init__(self, binary="edgeprobe", extra_args=()):
        self.binary, self.extra_args = binary, list(extra_args)

    def latency(self, spec, accuracy=None, target_ms=None, hard_constraint=False, min_time_s=None, seed=None):
        """Measures `spec` (a dict or YAML text) and returns the latency record."""
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as file:
            file.write(spec if isinstance(spec, str) else json.dumps(spec))
            file.flush()
            command = [self.binary, "latency", "--arch", file.name, *self.extra_args]
            if accuracy is not None:
                command += ["--accuracy", str(accuracy), "--target-ms", str(target_ms)]
                command += ["--hard-constraint"] if hard_constraint else []
            if min_time_s is not None:
                command += ["--min-time", f"{min_time_s}s"]
            if seed is not None:
                command += ["--seed", str(seed)]
            done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise EdgeprobeError(done.returncode, "cli", done.stderr.strip())
        return json.loads(done.stdout.splitlines()[-1])
