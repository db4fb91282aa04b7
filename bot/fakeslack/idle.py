"""A thread pool that can say when it has nothing left to do (so a driver can wait for a listener)."""

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class TrackedExecutor(ThreadPoolExecutor):
    def __init__(self, max_workers: int, thread_name_prefix: str = "listener") -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._busy = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._idle:
            self._busy += 1
        return super().submit(self._tracked, fn, *args, **kwargs)  # type: ignore[arg-type]

    def _tracked(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0, *, held: int = 0) -> None:
        """Wait until nothing runs but the `held` tasks a test holds at the door (bot/fakeslack/pauses.py)."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._busy <= held, timeout=timeout):
                raise TimeoutError(f"{self._busy} listener task(s) still running after {timeout}s")
