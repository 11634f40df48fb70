"""One long-lived `miter serve` process: JSON line in, JSON line out."""
from __future__ import annotations

import collections
import itertools
import json
import os
import re
import shutil
import subprocess
import threading
from typing import Any, Mapping, Optional, Sequence

from .errors import MiterError, WorkerCrashed

_END = re.compile(rb'"seconds":[-+0-9.eE]+\}\s*$')


def find_binary(binary: Optional[str] = None) -> str:
    """The `miter` executable: the argument, else $MITER_BIN, else `miter` on PATH."""
    candidate = binary or os.environ.get("MITER_BIN")
    if candidate:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
        found = shutil.which(candidate)
        if found:
            return found
        raise FileNotFoundError(f"miter binary not found: {candidate!r} (set MITER_BIN to the built .build/release/miter)")
    found = shutil.which("miter")
    if not found:
        raise FileNotFoundError("miter binary not found: set MITER_BIN or put `miter` on PATH "
                                "(cd <repo> && swift build -c release --product miter)")
    return found


def _getcwd() -> Optional[str]:
    try:
        return os.getcwd()
    except OSError:
        return None


class Answer:
    """One answer of `miter serve`: exit code, the JSON result (or text output), seconds."""

    __slots__ = ("id", "exit_code", "result", "output", "seconds", "raw")

    def __init__(self, raw: Mapping[str, Any]):
        self.raw = raw
        self.id = raw.get("id")
        self.exit_code = int(raw.get("exit_code", 2))
        self.result = raw.get("result")
        self.output = raw.get("output")
        self.seconds = raw.get("seconds")

    def __repr__(self) -> str:
        return f"Answer(exit_code={self.exit_code}, seconds={self.seconds})"

    def raise_for_error(self) -> "Answer":
        """Raises MiterError when the command failed (exit code 2)."""
        if self.exit_code == 2:
            raise MiterError.from_result(self.result if isinstance(self.result, dict) else None, self.output)
        return self


class Worker:
    """A `miter serve` subprocess answering many requests.

    Thread-safe: requests from several threads are serialised (the process answers one at a
    time, in order; use several workers for parallelism). A worker that died is restarted on the
    next request; a worker that dies during a request raises WorkerCrashed (a MiterError) for
    that request, and the next one gets a fresh process. Relative paths are the caller's: the
    process starts in the current directory, and again after an os.chdir(). Use as a context
    manager or call close().
    """

    def __init__(self, binary: Optional[str] = None, env: Optional[Mapping[str, str]] = None,
                 cwd: Optional[str] = None):
        self.binary = find_binary(binary)
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self._lock = threading.Lock()
        self._proc: Optional[subprocess.Popen] = None
        self._stderr_tail: collections.deque = collections.deque(maxlen=50)
        self._ids = itertools.count(1)
        self.restarts = 0
        self.requests = 0
        self._started_in: Optional[str] = None

    # -- process management -------------------------------------------------------------
    def _start(self) -> subprocess.Popen:
        proc = subprocess.Popen([self.binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env, cwd=self.cwd, bufsize=1 << 16)
        tail = self._stderr_tail

        def drain(stream):
            for line in iter(stream.readline, b""):
                tail.append(line.decode("utf-8", "replace").rstrip("\n"))
            stream.close()

        threading.Thread(target=drain, args=(proc.stderr,), daemon=True).start()
        return proc

    def _alive(self) -> subprocess.Popen:
        if self._proc is not None and self._proc.poll() is not None:
            self._reap()
            self.restarts += 1
        if self._proc is not None and self.cwd is None and self._started_in != _getcwd():
            # Relative paths are the caller's: follow os.chdir() with a fresh process.
            self._reap()
        if self._proc is None:
            self._started_in = _getcwd()
            self._proc = self._start()
        return self._proc

    def _reap(self):
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for s in (proc.stdin, proc.stdout):
            try:
                s.close()
            except Exception:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    @property
    def pid(self) -> Optional[int]:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def stderr_tail(self) -> str:
        """The last lines the process wrote on stderr (summaries of --jsonl commands, crashes)."""
        return "\n".join(self._stderr_tail)

    def close(self):
        """Ends the process (end of input ends `miter serve`)."""
        with self._lock:
            self._reap()

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self._reap()
        except Exception:
            pass

    # -- requests -------------------------------------------------------------------------
    @staticmethod
    def _read_answer(proc):
        """One answer, parsed (None at end of output). It is one line, except that a command's
        pretty-printed result (hash and stats print one array element per line) is embedded as
        printed: read on until the text ends with the answer's last key, "seconds", and parses."""
        parts = []
        while True:
            line = proc.stdout.readline()
            if not line:
                return None
            parts.append(line)
            if _END.search(line):
                try:
                    return json.loads(b"".join(parts) if len(parts) > 1 else line)
                except ValueError:
                    continue

    def request(self, argv: Sequence[str], files: Optional[Mapping[str, str]] = None,
                stdin: Optional[str] = None) -> Answer:
        """Runs one miter command line; returns its Answer (errors are answers too: see
        Answer.raise_for_error). `files` are inline texts read before the file system under
        those names, `stdin` is what '-' reads."""
        argv = [str(a) for a in argv]
        with self._lock:
            rid = next(self._ids)
            req: dict = {"id": rid, "argv": argv}
            if files:
                req["files"] = dict(files)
            if stdin is not None:
                req["stdin"] = stdin
            line = (json.dumps(req, separators=(",", ":")) + "\n").encode("utf-8")
            proc = self._alive()
            try:
                proc.stdin.write(line)
                proc.stdin.flush()
                reply = self._read_answer(proc)
            except (BrokenPipeError, OSError, ValueError):
                reply = None
            self.requests += 1
            if reply is None:
                self._reap()
                self.restarts += 1
                raise WorkerCrashed(f"miter serve died during {' '.join(argv[:4])}"
                                    f"{' ...' if len(argv) > 4 else ''}: {self.stderr_tail()[-2000:]}")
            answer = Answer(reply)
            if answer.id != rid:
                self._reap()
                raise WorkerCrashed(f"miter serve answered request {answer.id!r}, expected {rid}")
            return answer


_default: Optional[Worker] = None
_default_lock = threading.Lock()


def default_worker() -> Worker:
    """The module-level worker used by miter.check(), miter.hash(), ... (started on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Worker()
        return _default


def set_default_worker(worker: Optional[Worker]) -> None:
    global _default
    with _default_lock:
        old, _default = _default, worker
    if old is not None and old is not worker:
        old.close()
