"""The executor contract: run tasks (a claim at a run seed), yield each result as it ends."""
from __future__ import annotations

import abc
import functools
import os
import signal
from pathlib import Path
from typing import Callable, ClassVar, Iterable, Iterator, NamedTuple

from verify._model import Claim, Profile

# A claim whose worker process dies (killed, out of memory) runs again on a fresh worker, at most this many
# times; after that it is an ERROR naming the signal. Two: a one-off kill (the OOM killer picking the largest
# process on a loaded machine) is survived, a claim that kills every worker does not hold the run up long.
MAX_RETRIES = 2


class ExecutorError(RuntimeError):
    """An executor that cannot start (a missing extra, an unreachable scheduler): the message names the fix."""


class Task(NamedTuple):
    claim: Claim
    seed: int  # the run seed; the claim's own seed derives from it and the claim id


def largest_groups_first(tasks: list[Task], seconds: dict[str, float]) -> list[Task]:
    """The tasks with the groups of most predicted seconds first, each group's claims in their order: workers
    that keep to a group (the local executor) then start the long groups early instead of splitting one at
    the end, when the others are done (a split group compiles its shared programs in two processes)."""
    total: dict = {}
    for t in tasks:
        total[t.claim.group] = total.get(t.claim.group, 0.0) + seconds.get(t.claim.id, 0.0)
    first = {}
    for i, t in enumerate(tasks):
        first.setdefault(t.claim.group, i)
    return sorted(tasks, key=lambda t: (-total[t.claim.group], first[t.claim.group]))


def claim_ref(claim: Claim):
    """What a worker process needs to find the claim again: a catalogue id, or the claim file it was loaded
    from and its id (the worker loads the file again: a worker of a cluster must see the same path), or
    else the Claim object itself (pickled: a claim built in a notebook from picklable parts)."""
    from verify.claims import catalogue

    if catalogue().get(claim.id) is claim:
        return ("catalogue", claim.id)
    if claim.origin is not None:
        return ("file", str(Path(claim.origin).resolve()), claim.origin, claim.id)
    return ("claim", claim)


@functools.lru_cache(maxsize=32)
def _loaded(path: str, file: str, mtime: float) -> dict[str, Claim]:
    from verify.claimfile._load import _read

    claims, _ = _read(Path(path), file)  # named as the user gave it, so its results read the same
    return {c.id: c for c in claims}


def resolve(ref) -> Claim:
    """The claim a claim_ref names, in this process."""
    kind = ref[0]
    if kind == "catalogue":
        from verify.claims import get

        return get(ref[1])
    if kind == "file":
        _, path, file, claim_id = ref
        claims = _loaded(path, file, os.stat(path).st_mtime)
        if claim_id not in claims:
            raise LookupError(f"claim {claim_id!r} is no longer defined in {path!r} (was the file edited while it ran?)")
        return claims[claim_id]
    return ref[1]


def run_task(ref, profile_name: str, seed: int) -> dict:
    """What every executor runs for one task, in whatever process: the claim's run_claim result."""
    from verify._model import PROFILES
    from verify.runner import run_claim

    return run_claim(resolve(ref), PROFILES[profile_name], seed)


def worker_died_result(claim: Claim, profile: Profile, seed: int, why: str) -> dict:
    """The ERROR result of a claim whose worker died on every attempt: it is reported, never dropped."""
    from verify.runner import claim_result, error_check_result

    return claim_result(claim, profile, seed, [error_check_result(c, why) for c in claim.checks],
                        time_s=0.0, stochastic=any(c.comparisons for c in claim.checks))


def signal_name(exitcode: int | None) -> str:
    """'SIGKILL' for a process ended by signal 9 (exit code -9); 'exit code 3' otherwise."""
    if exitcode is not None and exitcode < 0:
        try:
            return signal.Signals(-exitcode).name
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit code {exitcode}"


class Executor(abc.ABC):
    """Runs tasks and yields (task, result) as each one ends, in any order, each task being the very object
    it was given (callers key on it). The runner writes each result as
    it arrives (so --resume works whatever the executor) and restores the selection's order itself.

    `on_start(task)` is called when a task starts (in this process for `serial`, when it is handed to a worker
    otherwise) and may return a progress callback that only the serial executor can feed (a worker's phases
    stay in the worker). Each result carries `retried`: how many times its worker died under it."""

    name: ClassVar[str]

    @abc.abstractmethod
    def run(self, tasks: Iterable[Task], profile: Profile,
            on_start: Callable[[Task], Callable[[str], None] | None] | None = None) -> Iterator[tuple[Task, dict]]: ...

    def close(self) -> None:
        """Release workers (processes, a cluster connection)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def describe(self) -> str:
        return self.name
