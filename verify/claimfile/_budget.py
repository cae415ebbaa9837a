"""Sizes of user claims: refused before anything is allocated when they exceed the machine, and
chosen from the observable's cost model when the claim does not give them.

Both use the observable's declared cost model (verify/observables/_cost.py), never a timing, so the
sweep a claim gets — and so its numbers — depend on the claim and the seed only."""
from __future__ import annotations

from dataclasses import dataclass

from verify._model import PROFILES, PerProfile
from verify.observables._cost import per_replicate
from verify.tolerances import Tol

GIB = 1 << 30


def _memory_limit() -> float:
    from verify._jax import device_memory

    return float(min(4 * GIB, device_memory() / 4))


MEMORY_LIMIT = Tol(_memory_limit(), "bytes one claim may hold at once: 4 GiB or a quarter of one device's memory "
                                    "(a GPU's own memory; on a CPU the machine's, which its host devices share), "
                                    "whichever is less, so a claim never swaps, runs out of device memory, or "
                                    "starves the run it is part of")
WORK_LIMIT = Tol(5e13, "floating-point operations of one claim in its profile, all sequential looks included: about "
                       "an hour on a 2-core CPU; beyond it the claim is a mistake (a width of 10⁹) or a cluster job")
RATE = Tol(1.5e9, "float64 operations per second the cost models are converted with: measured order of the vmapped "
                  "JAX samplers on a 2-core CPU (a fixed number, not a timing, so sweeps do not depend on load)")
BUDGET_SECONDS = PerProfile(60.0, 300.0, 1200.0)  # per claim, first look; later looks only when undecided
MIN_REPLICATES = 80  # 40 batch means of ≥ 2 replicates (the claim-file minimum)
COMPILE_SECONDS = 2.0
MIN_WIDTH = 8  # a fitted sweep stops shrinking here: below it no width-asymptotic statement is visible  # one XLA compilation per distinct shape on a CPU
DEFAULT_COST = per_replicate(lambda values, n: 100.0 * n, lambda values, n: 4.0 * n)  # an observable without one


def cost_of(bound) -> callable:
    from verify.observables import REGISTRY

    return REGISTRY[bound.name].cost or DEFAULT_COST


@dataclass(frozen=True)
class Need:
    flops: float
    bytes: float

    @property
    def seconds(self) -> float:
        return self.flops / RATE.value


def need(bound, widths, replicates: int, looks: int, outputs: int) -> Need:
    """Work and peak memory of a sweep over every sequential look (replicates double each look)."""
    cost = cost_of(bound)
    total = replicates * 2 ** (looks - 1)
    flops = sum(cost(bound.values, w, total)[0] for w in widths)
    peak = max(cost(bound.values, w, total)[1] for w in widths) + 8.0 * total * outputs * len(widths)
    return Need(flops, peak)


def _gib(b: float) -> str:
    return f"{b / GIB:.3g} GiB" if b >= 0.1 * GIB else f"{b / (1 << 20):.3g} MiB"


def _largest(ok, hi: int) -> int:
    """The largest integer v in [1, hi] with ok(v) (ok is monotone: true below a threshold); 0 if none."""
    if not ok(1):
        return 0
    lo = 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if ok(mid) else (lo, mid - 1)
    return lo


def enforce(f, bound, *, widths: PerProfile | None, replicates: PerProfile, given: tuple[str, ...]) -> None:
    """Refuse, before any sampling, sizes the claim gave (the fields named in `given`: "widths", "width",
    "replicates") that the machine cannot hold or no budget could pay; the message names the field and
    the largest value allowed in every profile."""
    outputs = len(_outputs(bound))
    fits = lambda n: n.bytes <= MEMORY_LIMIT.value and n.flops <= WORK_LIMIT.value
    sweeps = {p: ((None,) if widths is None else tuple(widths(prof)), replicates(prof), prof.looks)
              for p, prof in PROFILES.items()}
    failing = [p for p, (ws, reps, looks) in sweeps.items() if not fits(need(bound, ws, reps, looks, outputs))]
    if not failing or not given:
        return
    ws, reps, looks = sweeps[failing[0]]
    n = need(bound, ws, reps, looks, outputs)
    what = (f"needs about {_gib(n.bytes)} at once (limit {_gib(MEMORY_LIMIT.value)} here)"
            if n.bytes > MEMORY_LIMIT.value else
            f"needs about {n.flops:.2g} floating-point operations over its {looks} looks "
            f"(limit {WORK_LIMIT.value:.2g}, about an hour here)")
    sized = [g for g in ("widths", "width") if g in given and widths is not None]
    if sized and not ("replicates" in given and fits(need(bound, ws, MIN_REPLICATES, looks, outputs))):
        top = min(_largest(lambda w: fits(need(bound, tuple(min(x, w) for x in s_ws), s_reps, s_looks, outputs)),
                           int(max(s_ws))) for s_ws, s_reps, s_looks in sweeps.values())
        raise f.error(_field(f, sized[0], failing[0]), f"width {max(ws)} of {bound.name} {what}; the largest width "
                                                       f"allowed in every profile is {top}")
    top = min(_largest(lambda r: fits(need(bound, s_ws, r, s_looks, outputs)), int(s_reps))
              for s_ws, s_reps, s_looks in sweeps.values())
    raise f.error(_field(f, "replicates", failing[0]),
                  f"{reps} replicates of {bound.name} {what}; the largest number allowed here is {top}"
                  + ("" if top >= MIN_REPLICATES else f" (below the minimum {MIN_REPLICATES}: choose smaller widths)"))


def _field(f, name: str, profile: str) -> str:
    return f"{name}.{profile}" if isinstance(f.data.get(name), dict) else name


def _outputs(bound) -> tuple:
    from verify.observables import REGISTRY

    return REGISTRY[bound.name].outputs


# ---- default sweeps fitted to the budget ---------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    widths: PerProfile
    seconds: PerProfile  # predicted first-look time per profile

    def describe(self) -> str:
        return (f"widths chosen from {self.widths.quick[0]}… by the observable's cost model to fit the profile's "
                f"per-claim budget (quick {BUDGET_SECONDS.quick:g} s: predicted first look ≈ "
                f"{self.seconds.quick:.0f} s)")


def fitted_widths(bound, defaults: PerProfile, replicates: PerProfile, *, minimum: int = 3) -> Plan:
    """The default sweep of each profile cut to fit the profile's budget at the first look: the largest
    widths go first while more than `minimum` remain, then the whole sweep moves down by factors of 2
    (not below MIN_WIDTH) — deterministic, from the cost model alone."""
    outputs = len(_outputs(bound))
    chosen, seconds = [], []
    for pname, profile in PROFILES.items():
        ws = tuple(defaults(profile))
        reps = replicates(profile)
        budget = getattr(BUDGET_SECONDS, pname)

        def predicted(widths):
            n = need(bound, widths, reps, 1, outputs)
            return n.seconds + COMPILE_SECONDS * len(widths), n.bytes

        t, peak = predicted(ws)
        while t > budget or peak > MEMORY_LIMIT.value:
            if len(ws) > minimum:
                smaller = ws[:-1]
            else:
                smaller = tuple(sorted({max(MIN_WIDTH, w // 2) for w in ws}))
                if len(smaller) < minimum or smaller == ws:
                    break  # the smallest sweep: it runs over budget, and the reading says so
            ws = smaller
            t, peak = predicted(ws)
        chosen.append(ws)
        seconds.append(t)
    return Plan(PerProfile(*chosen), PerProfile(*seconds))
