"""kind = "psd": k(x, y) is a symmetric positive semidefinite kernel on a box.

Symmetry is an identity k(x, y) = k(y, x) (SymPy, then 50-digit evaluation). Positive
semidefiniteness is attacked by a search for a Gram matrix with a negative eigenvalue: random point
sets (spread and clustered), a hypothesis search that targets the smallest eigenvalue, and local
minimisation of that eigenvalue (scipy L-BFGS-B) over the points and the parameters. The worst
sets found are recomputed with mpmath at 50 digits, so round-off can neither fake nor hide a
counterexample: a FAIL shows the points and the 50-digit eigenvalue; a PASS states the search it
rests on.
"""
from __future__ import annotations

import math
import re

import mpmath
import numpy as np
import sympy as sp

from verify._model import Comparison, View
from verify.checks import Exact
from verify.claimfile import _expr
from verify.claimfile._defaults import PSD_BUDGET, PSD_CONFIRMED, PSD_MAX_POINTS
from verify.claimfile._fields import Fields, _is_number
from verify.claimfile._identity import DPS, numeric_comparison, rng_for, symbolic_comparison
from verify.stats import Band, decide

FIELDS = {
    "kernel": "k(x, y) as a SymPy formula: 1-D in x, y; d-D in x1..xd, y1..yd, or with vectors x, y "
              "(dot(x, y), norm(x - y)) when dimension is given",
    "dimension": "d, the input dimension (default: from the names x1..xd, else 1)",
    "domain": "the input box: [lo, hi] for every coordinate, or a list of d pairs (default [-3, 3])",
    "parameters": "table name -> number (fixed) or [lo, hi] (searched; integer endpoints: an integer range)",
    "max_points": f"largest point set searched (default {PSD_MAX_POINTS})",
}
_COMPONENT = re.compile(r"^([xy])(\d+)$")
CLEARLY_NEGATIVE = 1e-6  # float64 λ_min/max|Kᵢⱼ| this negative is no round-off (≤ ~1e-15 here): stop searching


def _parameters(f: Fields) -> dict[str, tuple]:
    """name -> (lo, hi, integer?); a fixed value has lo == hi."""
    out = {}
    for k, v in f.table("parameters", {}).items():
        path = f"parameters.{k}"
        if not k.isidentifier() or _COMPONENT.match(k) or k in ("x", "y"):
            raise f.error(path, f"{k!r} cannot name a parameter (x, y, x1, y2… are the inputs)")
        if _is_number(v) and math.isfinite(v):
            out[k] = (float(v), float(v), isinstance(v, int))
        elif (isinstance(v, (list, tuple)) and len(v) == 2 and all(_is_number(t) and math.isfinite(t) for t in v)
              and v[0] <= v[1]):
            out[k] = (float(v[0]), float(v[1]), all(isinstance(t, int) for t in v))
        else:
            raise f.error(path, f"expected a number or a range [lo, hi] with lo ≤ hi, got {v!r}")
    return out


def _box(f: Fields, d: int) -> np.ndarray:
    v = f.raw("domain", [-3.0, 3.0])
    pair = lambda t: (isinstance(t, (list, tuple)) and len(t) == 2 and all(_is_number(s) and math.isfinite(s) for s in t)
                      and t[0] < t[1])
    if pair(v):
        return np.array([[float(v[0]), float(v[1])]] * d)
    if isinstance(v, (list, tuple)) and len(v) == d and all(pair(t) for t in v):
        return np.array([[float(a), float(b)] for a, b in v])
    raise f.error("domain", f"expected [lo, hi] (every coordinate) or a list of {d} pairs [lo, hi], lo < hi; got {v!r}")


PSD_MAX_DIMENSION = 64  # one SymPy symbol per coordinate and 50-digit Gram matrices: beyond this, minutes per set


def _symbols(f: Fields, params: dict):
    pnames = {k: _expr.symbol(k, **({"positive": True} if lo > 0 else {"real": True})) for k, (lo, hi, _) in params.items()}
    d = f.integer("dimension", None, minimum=1, maximum=PSD_MAX_DIMENSION)
    text = f.raw("kernel")
    seen = _expr.names_in(text)
    idx = [int(m.group(2)) for m in map(_COMPONENT.match, seen) if m]
    if d is None:
        d = max(idx) if idx else 1
        if d > PSD_MAX_DIMENSION:
            raise f.error("kernel", f"the component x{d} makes the dimension {d}, more than the largest allowed "
                                    f"{PSD_MAX_DIMENSION}; write the kernel with dot(x, y)/norm(x - y) and dimension = …")
    if d > 1 or idx:
        xs, ys = [_expr.symbol(f"x{i + 1}") for i in range(d)], [_expr.symbol(f"y{i + 1}") for i in range(d)]
    else:
        xs, ys = [_expr.symbol("x")], [_expr.symbol("y")]
    names = {**pnames, **{s.name: s for s in xs + ys}}
    if len(xs) > 1:
        names["x"], names["y"] = sp.Matrix(xs), sp.Matrix(ys)
    try:
        k = _expr.parse(text, names)
    except _expr.FormulaError as exc:
        raise f.error("kernel", str(exc)) from None
    from verify.claimfile._functions import GaussianPair

    if k.has(GaussianPair):
        raise f.error("kernel", "E(…) of a non-polynomial expression has no 50-digit evaluation fast enough for the "
                                "PSD search (a polynomial body is exact by Isserlis' theorem); write σ as a polynomial, "
                                "or check the kernel as the limit of an mlp.* observable with a [claim.model]")
    return k, xs, ys, [pnames[p] for p in params]


class _Kernel:
    """Gram matrices of k in float64 (NumPy) and at 50 digits (mpmath); k(x, x) by a limit where the
    formula is 0/0 on the diagonal (e.g. sin(x − y)/(x − y))."""

    def __init__(self, k, xs, ys, ps):
        self.xs, self.ys, self.ps = xs, ys, ps
        self.k = k
        diag = k.xreplace(dict(zip(ys, xs)))
        if diag.has(sp.nan, sp.zoo) or self._undefined(diag):
            t = sp.Dummy("t")
            diag = sp.limit(k.xreplace({y: x + t for x, y in zip(xs, ys)}), t, 0)
        self.diag = diag
        args = xs + ys + ps
        self.f_np = sp.lambdify(args, k, modules="numpy")
        self.d_np = sp.lambdify(xs + ps, diag, modules="numpy")
        self.f_mp = sp.lambdify(args, k, modules="mpmath")
        self.d_mp = sp.lambdify(xs + ps, diag, modules="mpmath")

    def _undefined(self, diag) -> bool:
        probe = {s: sp.Float(0.37 + 0.11 * i) for i, s in enumerate(self.xs + self.ps)}
        try:
            v = complex(sp.N(diag.xreplace(probe)))
        except (TypeError, ValueError, ZeroDivisionError):
            return True
        return not (math.isfinite(v.real) and math.isfinite(v.imag))

    def gram(self, P: np.ndarray, theta) -> np.ndarray:
        m = P.shape[0]
        with np.errstate(all="ignore"):
            K = np.asarray(self.f_np(*[P[:, None, i] for i in range(P.shape[1])],
                                     *[P[None, :, i] for i in range(P.shape[1])], *theta))
            D = np.asarray(self.d_np(*[P[:, i] for i in range(P.shape[1])], *theta))
        dtype = np.complex128 if np.iscomplexobj(K) or np.iscomplexobj(D) else np.float64
        K = np.broadcast_to(K.astype(dtype), (m, m)).copy()
        D = np.broadcast_to(D.astype(dtype), (m,))
        same = np.all(P[:, None, :] == P[None, :, :], axis=-1)
        K[same] = np.broadcast_to(D[:, None], (m, m))[same]
        return K

    def gram_mp(self, P: np.ndarray, theta):
        m, d = P.shape
        with mpmath.workdps(DPS):
            pts = [[mpmath.mpf(float(v)) for v in row] for row in P]
            th = [mpmath.mpf(float(t)) for t in theta]
            K = mpmath.matrix(m, m)
            for i in range(m):
                for j in range(m):
                    if all(pts[i][a] == pts[j][a] for a in range(d)):
                        K[i, j] = self.d_mp(*pts[i], *th)
                    else:
                        K[i, j] = self.f_mp(*pts[i], *pts[j], *th)
            return K


def lambda_rel(K: np.ndarray) -> float:
    """Smallest eigenvalue of the symmetric part over the largest |entry| (+inf if K is not finite real)."""
    if np.iscomplexobj(K) or not np.all(np.isfinite(K)):
        return math.inf
    scale = np.max(np.abs(K))
    if scale == 0:
        return 0.0
    return float(np.linalg.eigvalsh((K + K.T) / 2)[0] / scale)


def lambda_rel_mp(K) -> mpmath.mpf:
    with mpmath.workdps(DPS):
        m = K.rows
        S = mpmath.matrix(m, m)
        for i in range(m):
            for j in range(m):
                if isinstance(K[i, j], mpmath.mpc) and K[i, j].imag != 0:
                    raise ValueError("complex Gram entry")
                S[i, j] = (mpmath.re(K[i, j]) + mpmath.re(K[j, i])) / 2
        scale = max(abs(S[i, j]) for i in range(m) for j in range(m))
        ev = mpmath.eigsy(S, eigvals_only=True)
        return min(ev[i] for i in range(m)) / scale if scale else mpmath.mpf(0)


class _Search:
    def __init__(self, kern: _Kernel, box: np.ndarray, params: dict, max_points: int, rng: np.random.Generator):
        self.kern, self.box, self.params, self.max_points, self.rng = kern, box, params, max_points, rng
        self.found: list[tuple[float, np.ndarray, tuple]] = []  # (λ_rel, points, θ); pruned to the worst 16
        self.evaluated = 0

    def worst(self) -> float:
        return min((t[0] for t in self.found), default=math.inf)

    def theta(self) -> tuple:
        out = []
        for lo, hi, integer in self.params.values():
            out.append(float(self.rng.integers(int(lo), int(hi) + 1)) if integer else float(self.rng.uniform(lo, hi)))
        return tuple(out)

    def consider(self, P: np.ndarray, theta) -> float:
        self.evaluated += 1
        lam = lambda_rel(self.kern.gram(P, theta))
        if math.isfinite(lam):
            self.found.append((lam, P.copy(), tuple(theta)))
            if len(self.found) > 64:
                self.found.sort(key=lambda t: t[0])
                del self.found[16:]
        return lam

    def random_sets(self, count: int) -> None:
        d = self.box.shape[0]
        lo, hi = self.box[:, 0], self.box[:, 1]
        for i in range(count):
            m = int(self.rng.integers(2, self.max_points + 1))
            if i % 2:  # clustered: a centre and a spread from 1e-3 to 1 of the box
                spread = (hi - lo) * 10 ** self.rng.uniform(-3, 0)
                c = self.rng.uniform(lo, hi)
                P = np.clip(c + spread * (self.rng.uniform(size=(m, d)) - 0.5), lo, hi)
            else:
                P = self.rng.uniform(lo, hi, size=(m, d))
            self.consider(P, self.theta())

    def hypothesis(self, examples: int, seed: int) -> None:
        from hypothesis import HealthCheck, Phase, given, settings, seed as hseed, strategies as st, target

        d = self.box.shape[0]
        coord = [st.floats(float(a), float(b), allow_nan=False) for a, b in self.box]
        point = st.tuples(*coord)
        ps = [st.integers(int(lo), int(hi)).map(float) if integer else st.floats(lo, hi, allow_nan=False)
              if lo < hi else st.just(lo) for lo, hi, integer in self.params.values()]

        @hseed(seed)
        @settings(max_examples=examples, database=None, deadline=None, derandomize=False, print_blob=False,
                  phases=(Phase.generate, Phase.target), suppress_health_check=list(HealthCheck))
        @given(st.lists(point, min_size=2, max_size=self.max_points), st.tuples(*ps))
        def search(points, theta):
            lam = self.consider(np.array(points, dtype=np.float64).reshape(-1, d), theta)
            if math.isfinite(lam):
                target(-lam)

        search()

    def minimise(self, starts: int) -> None:
        from scipy import optimize

        self.found.sort(key=lambda t: t[0])
        seeds = [(P, th) for _, P, th in self.found[: max(1, starts // 2)]]
        while len(seeds) < starts:
            m = int(self.rng.integers(2, self.max_points + 1))
            seeds.append((self.rng.uniform(self.box[:, 0], self.box[:, 1], size=(m, self.box.shape[0])), self.theta()))
        free = [i for i, (lo, hi, integer) in enumerate(self.params.values()) if lo < hi and not integer]
        for P0, th0 in seeds:
            m, d = P0.shape
            bounds = [tuple(self.box[j]) for _ in range(m) for j in range(d)]
            bounds += [tuple(list(self.params.values())[i][:2]) for i in free]

            def unpack(z, th0=th0, m=m, d=d):
                th = list(th0)
                for k, i in enumerate(free):
                    th[i] = z[m * d + k]
                return z[: m * d].reshape(m, d), tuple(th)

            def objective(z):
                lam = self.consider(*unpack(z))
                return lam if math.isfinite(lam) else 1e3

            z0 = np.concatenate([P0.ravel(), [th0[i] for i in free]])
            res = optimize.minimize(objective, z0, method="L-BFGS-B", bounds=bounds, options={"maxiter": 40})
            self.consider(*unpack(res.x))


def _shrink(kern: _Kernel, P: np.ndarray, th: tuple, params: dict) -> tuple[np.ndarray, tuple]:
    """A readable counterexample: drop points and round coordinates while the float64 eigenvalue
    stays clearly negative (the 50-digit recomputation still decides)."""
    clear = lambda Q, t: lambda_rel(kern.gram(Q, t)) < -1e-6
    if not clear(P, th):
        return P, th
    P = np.unique(P, axis=0) if clear(np.unique(P, axis=0), th) else P
    i = 0
    while i < len(P) and len(P) > 2:
        Q = np.delete(P, i, axis=0)
        if clear(Q, th):
            P = Q
        else:
            i += 1
    for digits in (1, 2, 3, 4, 6):
        Q = np.round(P, digits) + 0.0
        t = tuple(t if lo == hi or integer else round(t, digits) + 0.0 for t, (lo, hi, integer) in zip(th, params.values()))
        inside = all(lo <= v <= hi for v, (lo, hi, _) in zip(t, params.values()))
        if inside and clear(Q, t):
            return Q, t
    return P, th


def _search_comparison(ctx, kern: _Kernel, box, params, max_points) -> list[Comparison]:
    sets, examples, starts = PSD_BUDGET(ctx.profile)
    rng = rng_for(ctx.seed, "psd")
    s = _Search(kern, box, params, max_points, rng)
    phases = [f"{sets} random sets (spread and clustered)"]
    s.random_sets(sets)
    if s.worst() >= -CLEARLY_NEGATIVE:  # a clear counterexample ends the search: later phases could only deepen it
        s.hypothesis(examples, ctx.seed)
        phases.append(f"{examples} hypothesis examples targeting λ_min")
    if s.worst() >= -CLEARLY_NEGATIVE:
        s.minimise(starts)
        phases.append(f"{starts} L-BFGS-B minimisations")
    if not s.found:
        raise RuntimeError(f"the kernel was not finite on any of {s.evaluated} point sets of the domain")
    s.found.sort(key=lambda t: t[0])
    worst = None  # 50-digit recomputation of the float64-worst sets; a round-off artefact drops out here
    for lam, P, th in s.found[:5]:
        try:
            exact = lambda_rel_mp(kern.gram_mp(P, th))
        except (ValueError, ZeroDivisionError):
            continue
        if worst is None or exact < worst[0]:
            worst = (exact, lam, P, th)
    if worst is None:
        raise RuntimeError("no Gram matrix found in the search could be evaluated at 50 digits")
    exact, lam, P, th = worst
    if exact < -PSD_CONFIRMED.value:
        Q, t = _shrink(kern, P, th, params)
        if Q is not P:
            q = lambda_rel_mp(kern.gram_mp(Q, t))
            if q < -PSD_CONFIRMED.value:
                exact, lam, P, th = q, lambda_rel(kern.gram(Q, t)), Q, t
    measured = float(exact)
    band = Band(-PSD_CONFIRMED.value, math.inf)
    decision = decide(measured, measured, band)
    pts = [[float(v) for v in row] for row in P]
    theta = {name: t for name, t in zip(params, th)}
    budget = f"{s.evaluated} Gram matrices searched: {', '.join(phases)}; sizes 2–{max_points}, seed {ctx.seed}"
    if measured < -PSD_CONFIRMED.value:
        name = (f"counterexample: {len(pts)} points {pts}" + (f" with {theta}" if theta else "") +
                f" give a Gram matrix with λ_min/max|Kᵢⱼ| = {mpmath.nstr(exact, 12)} (50 digits)")
    else:
        name = f"no negative Gram eigenvalue beyond round-off in {budget.split(':')[0]}; worst λ_min/max|Kᵢⱼ| (50 digits)"
    return [Comparison(name, View.CLOSED_FORM, 0.0, measured, (measured, measured), band, decision, 0.0,
                       PSD_CONFIRMED.value, reference="mpmath eigsy of the Gram matrix at 50 digits; " + budget,
                       samples=s.evaluated,
                       detail={"points": pts, "parameters": theta, "lambda_rel_50_digits": mpmath.nstr(exact, 30),
                               "lambda_rel_float64": lam, "search": budget, "budget": [sets, examples, starts]})]


def build(f: Fields):
    params = _parameters(f)
    k, xs, ys, ps = _symbols(f, params)
    box = _box(f, len(xs))
    max_points = f.integer("max_points", PSD_MAX_POINTS, minimum=2)
    if max_points > 12:
        raise f.error("max_points", f"at most 12 points are searched (float64 eigenvalues stay reliable), got {max_points}")
    from verify._limits import DeadlineExceeded, deadline

    try:
        with deadline(_expr.FORMULA_SECONDS, "SymPy's diagonal limit k(x, x)"):
            kern = _Kernel(k, xs, ys, ps)
    except DeadlineExceeded as exc:
        raise f.error("kernel", f"{exc}; write k(x, x) without a 0/0 on the diagonal") from None
    except Exception as exc:  # SymPy failing to take the diagonal limit
        raise f.error("kernel", f"k(x, x) is undefined and SymPy cannot take its limit ({exc})") from None
    probe = np.random.default_rng(0)
    P = probe.uniform(box[:, 0], box[:, 1], size=(3, box.shape[0]))
    theta = [(lo + hi) / 2 if not integer else float(round((lo + hi) / 2)) for lo, hi, integer in params.values()]
    if not math.isfinite(lambda_rel(kern.gram(P, theta))):
        K = kern.gram(P, theta)
        raise f.error("kernel", f"{f.raw('kernel')!r} is not a finite real number on the domain, e.g. "
                                f"k({P[0].tolist()}, {P[1].tolist()}) = {K[0, 1]!r}" +
                                (f" with {dict(zip(params, theta))}" if params else ""))
    swap = dict(zip(xs + ys, ys + xs))
    k_swapped = k.xreplace(swap)
    sym_symbols = sorted(set(xs + ys + ps), key=lambda s: s.name)
    domain = {s.name: tuple(box[i]) for i, s in enumerate(xs)} | {s.name: tuple(box[i]) for i, s in enumerate(ys)}
    domain |= {p.name: (lo, hi) for p, (lo, hi, _) in zip(ps, params.values())}
    assumptions = {p.name: {"integer": True} for p, (lo, hi, integer) in zip(ps, params.values()) if integer}
    label = "k(x, y) = k(y, x)"
    checks = (  # the search first: its comparison is the one-line evidence of a PASS
        Exact("search for a negative Gram eigenvalue", View.CLOSED_FORM,
              lambda ctx: _search_comparison(ctx, kern, box, params, max_points)),
        Exact("symmetry (SymPy)", View.SYMBOLIC, lambda ctx: [symbolic_comparison(k, k_swapped, label)]),
        Exact("symmetry (50 digits at random points)", View.CLOSED_FORM,
              lambda ctx: [numeric_comparison(ctx, k, k_swapped, sym_symbols, domain, assumptions, 20, label)]),
    )
    dims = ", ".join(f"[{a:g}, {b:g}]" for a, b in box)
    prm = ", ".join(f"{n} ∈ [{lo:g}, {hi:g}]" if lo < hi else f"{n} = {lo:g}" for n, (lo, hi, _) in params.items())
    reading = (f"k(x, y) = {k} on the box {dims}{' with ' + prm if prm else ''} is symmetric (SymPy, and 50-digit "
               f"evaluation) and every Gram matrix of ≤ {max_points} points is positive semidefinite: a search (random "
               f"and clustered sets, hypothesis, L-BFGS-B on λ_min) for a negative eigenvalue, its worst sets recomputed "
               f"at 50 digits; λ_min/max|Kᵢⱼ| < −{PSD_CONFIRMED.value:g} is a counterexample. A PASS means the search "
               f"found none, not a proof.")
    return f.finish(FIELDS, checks, reading)
