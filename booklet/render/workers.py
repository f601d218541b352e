"""A small pool of forked worker processes that answer in several messages.

The booklet's pieces are laid out in parallel. A piece's page count is needed by the next
piece (it sets where that one starts) long before its PDF is written, so a worker sends the
count as soon as the layout is done, then writes the PDF while another worker lays out the
next piece. `concurrent.futures` returns a task's result only at its end; this pool lets a
task `send` as many messages as it likes.

Workers are forked after the parent set up what every task needs (the programme, parsed
stylesheets, fonts), so tasks only carry their own small arguments. `jobs=1` runs each task
in this process when it is submitted, with the same messages in the same order: a serial
build writes the same bytes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, Pipe, wait

log = logging.getLogger(__name__)

Handler = Callable[[object, Callable[[object], None]], None]


class TaskFailed(Exception):
    """A task raised: `error` is its exception when it could be sent back, `trace` its
    traceback as text."""

    def __init__(self, error: BaseException | None, trace: str):
        super().__init__(trace)
        self.error = error
        self.trace = trace

    def __reduce__(self):
        return TaskFailed, (self.error, self.trace)


class Pool:
    """`submit(key, task)` runs `handler(task, send)` in a free worker; `messages()` yields
    `(key, message)` for every `send`, then `(key, DONE)` when the task returned. A task
    that raised yields `(key, TaskFailed)`. A worker that finished gets its next task when
    this process next calls `submit`, `poll` or `messages`."""

    DONE = "done"

    def __init__(self, jobs: int, handler: Handler):
        self.handler = handler
        self.jobs = max(1, jobs)
        self.queue: list = []  # tasks waiting for a free worker
        self.seq = 0
        self.inline: deque = deque()  # messages of tasks run in this process
        self.received: deque = deque()  # messages from the workers, not yet yielded
        self.workers: list[tuple[int, Connection]] = []
        self.idle: list[Connection] = []
        self.busy: dict[Connection, object] = {}
        self.owner: dict[object, Connection] = {}  # key -> the worker that ran its task
        if self.jobs > 1:
            for _ in range(self.jobs):
                self._fork()

    def _fork(self) -> None:
        parent, child = Pipe()
        pid = os.fork()
        if pid == 0:  # the worker: serve tasks until the pipe closes, then leave at once
            parent.close()
            code = 0
            try:
                _serve(child, self.handler)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        child.close()
        self.workers.append((pid, parent))
        self.idle.append(parent)

    def submit(self, key, task, pinned: bool = False, priority: int = 0) -> None:
        """Run the task; `pinned`: in the worker that ran the last task of the same key
        (which kept what that task made). Waiting tasks start lowest `priority` first, then
        in the order submitted."""
        if self.jobs == 1:
            self._run_inline(key, task)
        else:
            self.seq += 1
            self.queue.append((priority, self.seq, key, task, pinned))
            self.poll()  # making the task took a while: a worker may have finished meanwhile
            self._dispatch()

    def _run_inline(self, key, task) -> None:
        try:
            self.handler(task, lambda message: self.inline.append((key, message)))
            self.inline.append((key, self.DONE))
        except Exception as exc:
            self.inline.append((key, TaskFailed(exc, traceback.format_exc())))

    def _choose(self, conn: Connection):
        """The task for an idle worker: the first by priority, then order, of the unpinned
        ones and of those pinned to it (which no other worker can run)."""
        return min(
            (e for e in self.queue if not e[4] or self.owner.get(e[2]) is conn), default=None
        )

    def _dispatch(self) -> None:
        while self.queue and self.idle:
            sent = False
            for conn in list(self.idle):
                entry = self._choose(conn)
                if entry is None:
                    continue
                self.queue.remove(entry)
                _, _, key, task, _ = entry
                self.idle.remove(conn)
                conn.send((key, task))
                self.busy[conn] = key
                self.owner[key] = conn
                sent = True
            if not sent:
                break

    @property
    def pending(self) -> bool:
        return bool(self.queue or self.busy or self.inline or self.received)

    def poll(self) -> None:
        """Take in the messages that have arrived, without waiting: a worker that finished
        gets its next task now, not when this process next asks for `messages()` (it may be
        busy making the HTML of later tasks). They are kept for `messages()`."""
        while self.busy and (ready := wait(list(self.busy), timeout=0)):
            for conn in ready:
                self._receive(conn)

    def _receive(self, conn: Connection) -> None:
        try:
            key, message = conn.recv()
        except EOFError:
            key = self.busy.pop(conn)
            self.received.append((key, TaskFailed(None, "a worker process ended unexpectedly")))
            return
        if message == self.DONE or isinstance(message, TaskFailed):
            del self.busy[conn]
            self.idle.append(conn)
            self._dispatch()
        self.received.append((key, message))

    def messages(self) -> Iterator[tuple[object, object]]:
        """Messages as they arrive, until no task is running or waiting."""
        while self.pending:
            if self.inline:
                yield self.inline.popleft()
            elif self.received:
                yield self.received.popleft()
            else:
                for conn in wait(list(self.busy)):
                    self._receive(conn)

    def close(self) -> None:
        for _, conn in self.workers:
            conn.close()
        for pid, _ in self.workers:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.workers = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:  # stop the workers rather than wait for their tasks
            for pid, _ in self.workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, 15)
        self.close()


def _serve(conn: Connection, handler: Handler) -> None:
    while True:
        try:
            key, task = conn.recv()
        except EOFError:
            return
        try:
            handler(task, lambda message, key=key: conn.send((key, message)))
            conn.send((key, Pool.DONE))
        except Exception as exc:
            trace = traceback.format_exc()
            try:
                pickle.dumps(exc)
                failure = TaskFailed(exc, trace)
            except Exception:
                failure = TaskFailed(None, trace)
            conn.send((key, failure))
