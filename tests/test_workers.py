"""The worker pool: tasks answered in several messages, and which task an idle worker takes."""

from __future__ import annotations

import multiprocessing
import os
import time

from booklet.render.workers import Pool, TaskFailed


def _echo(task, send):
    if task == "fail":
        raise ValueError("no")
    send(("pid", os.getpid()))
    send(("task", task))


def test_tasks_answer_in_several_messages_in_each_mode():
    for jobs in (1, 2):
        with Pool(jobs, _echo) as pool:
            for k in range(4):
                pool.submit(k, k)
            pool.submit("bad", "fail")
            messages = list(pool.messages())
        answers = {key: m[1] for key, m in messages if isinstance(m, tuple) and m[0] == "task"}
        assert answers == {k: k for k in range(4)}
        assert sum(1 for _, m in messages if m == Pool.DONE) == 4
        (failure,) = [m for _, m in messages if isinstance(m, TaskFailed)]
        assert isinstance(failure.error, ValueError)


def _held(task, send):
    if task == "held":
        _RELEASE.wait(30)
    send(("task", task))


_RELEASE = multiprocessing.Event()  # made before the workers are forked: they share it


def test_poll_gives_a_finished_worker_its_next_task_before_messages_are_asked_for():
    _RELEASE.clear()
    with Pool(2, _held) as pool:
        pool.submit("a", "held")
        pool.submit("b", "held")
        pool.submit("c", "c")
        assert len(pool.queue) == 1  # both workers are busy
        _RELEASE.set()
        deadline = time.monotonic() + 10
        while pool.queue and time.monotonic() < deadline:
            pool.poll()  # as `submit` does after the booklet made the next piece's HTML
            time.sleep(0.01)
        assert not pool.queue
        messages = list(pool.messages())
    assert {m[1] for _, m in messages if m[0] == "task"} == {"held", "c"}
    assert sum(1 for _, m in messages if m == Pool.DONE) == 3


def test_pinned_tasks_run_where_their_key_ran():
    with Pool(2, _echo) as pool:
        pool.submit("a", "first")
        first = next(m[1] for key, m in pool.messages() if m[0] == "pid")
        list(pool.messages())
        for k in range(6):
            pool.submit("a", k, pinned=True)
            pool.submit(k, k)
        pids = {m[1] for key, m in pool.messages() if key == "a" and m[0] == "pid"}
    assert pids == {first}


def test_an_idle_worker_takes_the_first_task_it_can_run():
    pool = Pool(1, _echo)  # no processes: the choice alone
    a, b = object(), object()
    pool.workers = [(1, a), (2, b)]
    pool.owner = {"kept": a}
    pool.queue = [(3, 1, "kept", "write it", True), (2, 2, "new", "lay it out", False)]
    assert pool._choose(a)[2] == "new"  # a layout before writing what it keeps
    pool.queue = [(1, 1, "kept", "write it", True), (2, 2, "new", "lay it out", False)]
    assert pool._choose(a)[2] == "kept"
    assert pool._choose(b)[2] == "new"  # only a can write what a keeps
    pool.queue = [(1, 1, "kept", "write it", True)]
    assert pool._choose(b) is None
