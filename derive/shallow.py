"""Symbolic derivations for the one-hidden-layer network Φ(x,w) = vᵀσ(Ux+b)+c (seed 000, §11.5).

x ∈ ℝᵈ, U ∈ ℝⁿˣᵈ, b, v ∈ ℝⁿ, c ∈ ℝ, w = (U, b, v, c). σ is the undefined SymPy function
`SIGMA = sympy.Function("sigma")`, so an identity proved here holds for every differentiable σ.

Claims served (as the source states them):
  shallow.param-count    w ∈ ℝ^{n(d+2)+1}                                     → `param_count`
  shallow.gradients      ∇_UΦ=(v⊙σ'(Ux+b))xᵀ, ∇_bΦ=v⊙σ'(Ux+b), ∇_vΦ=σ(Ux+b), ∇_cΦ=1
                                                     → `check_gradients`, `check_gradients_generic`
  shallow.loss-gradient  f(w)=Σᵢ(Φ(xᵢ,w)−yᵢ)²: ∇_w f = 2 ∇_wΦ(X,w)ᵀ(Φ(X,w)−y) → `check_loss_gradient`

Every check takes the stated formula as a keyword argument (defaulting to the source's), so a test
can hand in a wrong formula and see `holds=False`.

The numeric bridges to JAX autodiff are `lambdified_gradient` (the SymPy-derived gradient for a
concrete σ, evaluated by NumPy/SciPy) and `stated_gradients_numeric` (the stated formulas written
with the JAX activations; JAX is imported only when it is called, so `derive` imports without JAX).

Index conventions: concrete-size symbols are 1-based as in the source (U_{1,1} … U_{n,d});
the size-generic derivation uses SymPy's 0-based `Sum` limits (k = 0 … n−1).
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any, Callable, Mapping, NamedTuple

import numpy as np
import sympy as sp

from derive._result import SymbolicResult, is_zero, residual_of
from derive import activations

__all__ = [
    "BLOCKS",
    "SIGMA",
    "SIGMA_NAMES",
    "GenericSymbols",
    "GradientBlocks",
    "ShallowSymbols",
    "check_gradients",
    "check_gradients_generic",
    "check_loss_gradient",
    "generic_symbols",
    "gradient",
    "lambdified_gradient",
    "param_count",
    "phi",
    "sigma_function",
    "sigma_prime",
    "stated_gradients",
    "stated_gradients_generic",
    "stated_gradients_numeric",
    "stated_loss_gradient",
    "stated_param_count",
    "symbols",
]

SIGMA = sp.Function("sigma")
"""The generic activation: an undefined function, so derivations hold for every differentiable σ."""

BLOCKS: tuple[str, ...] = ("U", "b", "v", "c")
"""Parameter blocks in the order of `verify.models.shallow.Params` (and of the flattened w)."""

SIGMA_NAMES: tuple[str, ...] = ("tanh", "erf", "sin", "identity")
"""Concrete σ that `sigma_function` / `lambdified_gradient` map to SymPy functions."""

_T = sp.Dummy("t")
_SIGMA_FUNCTIONS: Mapping[str, Callable[[sp.Expr], sp.Expr]] = {
    name: sp.Lambda(activations.T, activations.TABLE[name].expr) for name in SIGMA_NAMES  # views of the one table
}

Sigma = Callable[[sp.Expr], sp.Expr]


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------


def _check_size(value: Any, name: str, meaning: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            f"{name}={value!r} is not a positive integer; {name} is {meaning}. "
            f"Pass a concrete integer {name} >= 1 (the checks build n·d explicit symbols, so keep it small)."
        )
    return int(value)


def sigma_function(name: str) -> Sigma:
    """The SymPy function for a concrete activation name in `SIGMA_NAMES`."""
    try:
        return _SIGMA_FUNCTIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"sigma_name={name!r} has no SymPy counterpart here; choose one of {list(SIGMA_NAMES)} "
            "(ReLU is not differentiable at 0 and is checked numerically via stated_gradients_numeric)"
        ) from None


def _resolve_sigma(sigma: Sigma | str | None) -> Sigma:
    if sigma is None:
        return SIGMA
    if isinstance(sigma, str):
        return sigma_function(sigma)
    if not callable(sigma):
        raise ValueError(
            f"sigma={sigma!r} is neither None (generic σ), a name in {list(SIGMA_NAMES)}, "
            "nor a callable taking and returning a SymPy expression"
        )
    return sigma


def sigma_prime(sigma: Sigma, at: sp.Expr) -> sp.Expr:
    """σ'(at), written the way SymPy's chain rule writes it (a `Subs` of a `Derivative`)."""
    return sp.diff(sigma(_T), _T).subs(_T, at)


# --------------------------------------------------------------------------------------------
# Concrete sizes: explicit scalar symbols
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShallowSymbols:
    """Scalar symbols U_{i,j}, b_{i}, v_{i}, c, x_{j} (1-based, real) for one concrete (n, d)."""

    n: int
    d: int
    U: sp.ImmutableMatrix  # (n, d)
    b: sp.ImmutableMatrix  # (n, 1)
    v: sp.ImmutableMatrix  # (n, 1)
    c: sp.Symbol
    x: sp.ImmutableMatrix  # (d, 1)

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """w flattened in `Params` order: U row-major, then b, v, c (length n(d+2)+1)."""
        return (*self.U, *self.b, *self.v, self.c)

    def block(self, name: str) -> sp.ImmutableMatrix:
        """The symbols of one block as a matrix (c as 1×1)."""
        return sp.ImmutableMatrix([[self.c]]) if name == "c" else getattr(self, name)

    def preactivation(self, x: sp.MatrixBase | None = None) -> sp.ImmutableMatrix:
        """h = Ux + b, at `x` (default: this object's symbols x)."""
        x = self.x if x is None else x
        return sp.ImmutableMatrix(self.U * x + self.b)


def symbols(n: int, d: int) -> ShallowSymbols:
    """Explicit real scalar symbols for width n and input dimension d."""
    n = _check_size(n, "n", "the width (number of hidden neurons)")
    d = _check_size(d, "d", "the input dimension")
    real = {"real": True}
    U = sp.ImmutableMatrix(n, d, lambda i, j: sp.Symbol(f"U_{{{i + 1},{j + 1}}}", **real))
    b = sp.ImmutableMatrix(n, 1, lambda i, _: sp.Symbol(f"b_{{{i + 1}}}", **real))
    v = sp.ImmutableMatrix(n, 1, lambda i, _: sp.Symbol(f"v_{{{i + 1}}}", **real))
    x = sp.ImmutableMatrix(d, 1, lambda j, _: sp.Symbol(f"x_{{{j + 1}}}", **real))
    return ShallowSymbols(n, d, U, b, v, sp.Symbol("c", **real), x)


def _phi_at(sym: ShallowSymbols, x: sp.MatrixBase, sigma: Sigma) -> sp.Expr:
    h = sym.preactivation(x)
    return sp.Add(*(sym.v[i] * sigma(h[i]) for i in range(sym.n))) + sym.c


def phi(n: int, d: int, sigma: Sigma | str | None = None) -> sp.Expr:
    """Φ(x,w) = Σᵢ vᵢ σ(Σⱼ U_{i,j} xⱼ + bᵢ) + c in the symbols of `symbols(n, d)`.

    sigma: None for the generic σ (`SIGMA`), a name in `SIGMA_NAMES`, or a SymPy callable.
    """
    sym = symbols(n, d)
    return _phi_at(sym, sym.x, _resolve_sigma(sigma))


def stated_param_count(n: Any, d: Any) -> Any:
    """The source's dimension of w: n(d+2)+1 (works on ints and on SymPy symbols)."""
    return n * (d + 2) + 1


def param_count(
    n: int, d: int, *, stated: Callable[[Any, Any], Any] = stated_param_count
) -> SymbolicResult:
    """shallow.param-count: dim w derived from the block shapes vs the stated formula.

    Symbolically, with n, d positive-integer symbols, n·d (U) + n (b) + n (v) + 1 (c) is compared
    with `stated(n, d)`; concretely, the number of distinct parameter symbols in `phi(n, d)` is
    compared with `stated(n, d)` at the given integers. `holds` requires both.
    """
    n = _check_size(n, "n", "the width (number of hidden neurons)")
    d = _check_size(d, "d", "the input dimension")
    N, D = sp.symbols("n d", integer=True, positive=True)
    shapes = {"U": (N, D), "b": (N,), "v": (N,), "c": ()}
    derived = sp.Add(*(sp.Mul(*shape) for shape in shapes.values()))
    stated_expr = sp.sympify(stated(N, D))
    residual = residual_of(derived - stated_expr)
    symbolic_ok = is_zero(residual)

    sym = symbols(n, d)
    counted = len(phi(n, d).free_symbols - set(sym.x))
    stated_here = sp.sympify(stated(n, d))
    concrete_ok = bool(sp.Integer(counted) == stated_here)
    return SymbolicResult(
        name=f"shallow.param-count n={n} d={d}",
        holds=symbolic_ok and concrete_ok,
        derived=str(derived),
        stated=str(stated_expr),
        residual=str(residual),
        detail=(
            "dim w summed from the block shapes U:(n,d), b:(n,), v:(n,), c:() with n, d positive "
            f"integer symbols; SymPy residual derived − stated = {residual} "
            f"({'zero' if symbolic_ok else 'NOT zero'}). Concrete n={n}, d={d}: phi has {counted} "
            f"distinct parameter symbols, the stated formula gives {stated_here} "
            f"({'equal' if concrete_ok else 'NOT equal'})."
        ),
    )


# --------------------------------------------------------------------------------------------
# Gradients at concrete sizes
# --------------------------------------------------------------------------------------------


def gradient(n: int, d: int, sigma: Sigma | str | None = None) -> dict[str, sp.ImmutableMatrix]:
    """∂Φ/∂w by SymPy differentiation, one scalar parameter at a time, arranged in blocks.

    Returns {"U": (n,d), "b": (n,1), "v": (n,1), "c": (1,1)} matrices of expressions.
    """
    sym = symbols(n, d)
    expr = _phi_at(sym, sym.x, _resolve_sigma(sigma))
    return {
        name: sym.block(name).applyfunc(lambda w: sp.diff(expr, w)) for name in BLOCKS
    }


def stated_gradients(sym: ShallowSymbols, sigma: Sigma) -> dict[str, sp.ImmutableMatrix]:
    """The source's formulas in the symbols `sym`: (v⊙σ'(h))xᵀ, v⊙σ'(h), σ(h), 1 with h = Ux+b."""
    h = sym.preactivation()
    delta = sp.ImmutableMatrix(sym.n, 1, lambda i, _: sym.v[i] * sigma_prime(sigma, h[i]))
    return {
        "U": sp.ImmutableMatrix(delta * sym.x.T),
        "b": delta,
        "v": h.applyfunc(sigma),
        "c": sp.ImmutableMatrix([[1]]),
    }


def _compare(name: str, derived: sp.Basic, stated: sp.Basic, detail: str) -> SymbolicResult:
    if isinstance(derived, sp.MatrixBase) and isinstance(stated, sp.MatrixBase):
        if derived.shape != stated.shape:
            return SymbolicResult(
                name=name,
                holds=False,
                derived=str(derived),
                stated=str(stated),
                residual=f"shape mismatch: derived {derived.shape} vs stated {stated.shape}",
                detail=detail,
            )
    residual = residual_of(derived - stated)
    return SymbolicResult(
        name=name,
        holds=is_zero(residual),
        derived=str(derived),
        stated=str(stated),
        residual=str(residual),
        detail=detail,
    )


def check_gradients(
    n: int,
    d: int,
    *,
    stated: Callable[[ShallowSymbols, Sigma], Mapping[str, sp.MatrixBase]] = stated_gradients,
) -> tuple[SymbolicResult, ...]:
    """shallow.gradients at concrete (n, d) for generic σ: one result per block U, b, v, c.

    Φ is differentiated by SymPy with respect to each of its n(d+2)+1 scalar parameters; the
    derivatives, arranged in blocks, are compared entry by entry with `stated(symbols(n, d), SIGMA)`.
    """
    sym = symbols(n, d)
    derived = gradient(n, d)
    claimed = stated(sym, SIGMA)
    results = []
    for name in BLOCKS:
        if name not in claimed:
            raise ValueError(
                f"stated={stated!r} returned blocks {sorted(claimed)}; it must return every block "
                f"of {list(BLOCKS)} as a SymPy matrix"
            )
        results.append(
            _compare(
                f"shallow.gradients[{name}] n={sym.n} d={sym.d}",
                derived[name],
                sp.ImmutableMatrix(claimed[name]),
                (
                    f"SymPy diff of Φ w.r.t. each scalar of block {name} (shape "
                    f"{derived[name].shape}) at n={sym.n}, d={sym.d}, σ an undefined function; "
                    "residual reduced by expand / doit / simplify (exact)."
                ),
            )
        )
    return tuple(results)


# --------------------------------------------------------------------------------------------
# Gradients for symbolic n, d (IndexedBase + KroneckerDelta)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GenericSymbols:
    """Φ with symbolic sizes: Σ_{k=0}^{n−1} v[k] σ(Σ_{l=0}^{d−1} U[k,l] x[l] + b[k]) + c.

    i ∈ [0, n−1] and j ∈ [0, d−1] index the parameter differentiated by; k, l are summation indices.
    """

    n: sp.Symbol
    d: sp.Symbol
    i: sp.Symbol
    j: sp.Symbol
    k: sp.Symbol
    l: sp.Symbol
    U: sp.IndexedBase
    b: sp.IndexedBase
    v: sp.IndexedBase
    x: sp.IndexedBase
    c: sp.Symbol

    def preactivation(self, row: sp.Expr) -> sp.Expr:
        """h_row = Σ_l U[row,l] x[l] + b[row]."""
        return sp.Sum(self.U[row, self.l] * self.x[self.l], (self.l, 0, self.d - 1)) + self.b[row]

    def phi(self, sigma: Sigma) -> sp.Expr:
        k = self.k
        return sp.Sum(self.v[k] * sigma(self.preactivation(k)), (k, 0, self.n - 1)) + self.c

    def ranges(self) -> dict[sp.Symbol, tuple[sp.Expr, sp.Expr]]:
        return {self.i: (sp.S.Zero, self.n - 1), self.j: (sp.S.Zero, self.d - 1)}


def generic_symbols() -> GenericSymbols:
    n, d = sp.symbols("n d", integer=True, positive=True)
    i, j, k, l = sp.symbols("i j k l", integer=True)
    return GenericSymbols(
        n, d, i, j, k, l,
        sp.IndexedBase("U", real=True),
        sp.IndexedBase("b", real=True),
        sp.IndexedBase("v", real=True),
        sp.IndexedBase("x", real=True),
        sp.Symbol("c", real=True),
    )


def _implied_by_ranges(
    rel: sp.Basic, ranges: Mapping[sp.Symbol, tuple[sp.Expr, sp.Expr]]
) -> sp.Basic:
    """sympy.true if the inequality `rel` holds for every index in its range, else `rel` unchanged.

    Sound for inequalities multilinear in the indices: such a function of the indices attains its
    extremes on the corners of the index box, so it suffices that `rel` holds (as SymPy proves from
    the positivity of n, d) at every corner. Anything else is left for SymPy as it is.
    """
    indices = [s for s in ranges if rel.has(s)]
    if not indices:
        return rel
    gap = rel.lhs - rel.rhs
    if any(sp.diff(gap, s, 2) != 0 for s in indices):
        return rel
    for corner in itertools.product(*(ranges[s] for s in indices)):
        if rel.subs(dict(zip(indices, corner))) is not sp.true:
            return rel
    return sp.true


def _within_ranges(expr: sp.Expr, ranges: Mapping[sp.Symbol, tuple[sp.Expr, sp.Expr]]) -> sp.Expr:
    """Evaluate Sums over KroneckerDelta and drop Piecewise guards that the index ranges imply."""
    inequality = (sp.Ge, sp.Gt, sp.Le, sp.Lt)
    for _ in range(8):
        new = expr.doit().replace(
            lambda e: isinstance(e, inequality), lambda e: _implied_by_ranges(e, ranges)
        )
        if new == expr:
            break
        expr = new
    return expr


def stated_gradients_generic(g: GenericSymbols, sigma: Sigma) -> dict[str, sp.Expr]:
    """The source's formulas entrywise: ∂Φ/∂U[i,j] = v[i]σ'(h_i)x[j], ∂Φ/∂b[i] = v[i]σ'(h_i),
    ∂Φ/∂v[i] = σ(h_i), ∂Φ/∂c = 1."""
    h = g.preactivation(g.i)
    return {
        "U": g.v[g.i] * sigma_prime(sigma, h) * g.x[g.j],
        "b": g.v[g.i] * sigma_prime(sigma, h),
        "v": sigma(h),
        "c": sp.S.One,
    }


def check_gradients_generic(
    *,
    stated: Callable[[GenericSymbols, Sigma], Mapping[str, sp.Expr]] = stated_gradients_generic,
) -> tuple[SymbolicResult, ...]:
    """shallow.gradients for symbolic n, d and generic σ: one result per block U, b, v, c.

    Φ is written with `IndexedBase` and `Sum`; SymPy differentiates w.r.t. U[i,j], b[i], v[i], c,
    producing KroneckerDelta sums guarded by Piecewise conditions such as n ≥ i+1. SymPy cannot use
    that i ∈ [0, n−1] by itself, so the guards are discharged by `_implied_by_ranges` (an exact
    corner argument, stated in `detail`), then the residual is reduced as for concrete sizes.
    """
    g = generic_symbols()
    expr = g.phi(SIGMA)
    claimed = stated(g, SIGMA)
    wrt = {"U": g.U[g.i, g.j], "b": g.b[g.i], "v": g.v[g.i], "c": g.c}
    results = []
    for name in BLOCKS:
        raw = sp.diff(expr, wrt[name])
        derived = _within_ranges(raw, g.ranges())
        unresolved = derived.has(sp.Piecewise, sp.KroneckerDelta)
        note = (
            " SymPy left a Piecewise/KroneckerDelta it could not reduce: the identity is NOT proved "
            "for symbolic sizes (the concrete-size check still applies)."
            if unresolved
            else ""
        )
        results.append(
            _compare(
                f"shallow.gradients[{name}] generic n,d",
                derived,
                sp.sympify(claimed[name]),
                (
                    f"d/d{wrt[name]} of Σ_k v[k]σ(Σ_l U[k,l]x[l]+b[k])+c with symbolic n, d; "
                    f"raw SymPy derivative: {raw}. Guards like n ≥ i+1 were discharged using "
                    "0 ≤ i ≤ n−1, 0 ≤ j ≤ d−1 (inequalities linear in the indices hold on the "
                    "whole range iff at its end points)." + note
                ),
            )
        )
    return tuple(results)


# --------------------------------------------------------------------------------------------
# Loss gradient
# --------------------------------------------------------------------------------------------


def stated_loss_gradient(J: sp.MatrixBase, r: sp.MatrixBase) -> sp.MatrixBase:
    """The source's ∇_w f = 2 ∇_wΦ(X,w)ᵀ(Φ(X,w) − y) = 2 Jᵀ r."""
    return 2 * J.T * r


def check_loss_gradient(
    n: int,
    d: int,
    m: int,
    *,
    stated: Callable[[sp.MatrixBase, sp.MatrixBase], sp.MatrixBase] = stated_loss_gradient,
) -> SymbolicResult:
    """shallow.loss-gradient at concrete (n, d) with m data points of symbolic entries, generic σ.

    f = Σ_p (Φ(x_p,w) − y_p)² is differentiated by SymPy w.r.t. all n(d+2)+1 parameters and
    compared with `stated(J, r)`, where J = (∂Φ(x_p,w)/∂w_q)_{p,q} is the symbolic Jacobian (m × P)
    and r = Φ(X,w) − y.
    """
    sym = symbols(n, d)
    m = _check_size(m, "m", "the number of data points")
    X = sp.ImmutableMatrix(m, sym.d, lambda p, j: sp.Symbol(f"x_{{{p + 1},{j + 1}}}", real=True))
    y = sp.ImmutableMatrix(m, 1, lambda p, _: sp.Symbol(f"y_{{{p + 1}}}", real=True))
    outputs = sp.ImmutableMatrix([_phi_at(sym, X[p, :].T, SIGMA) for p in range(m)])
    w = sym.parameters
    J = outputs.jacobian(w)
    r = outputs - y
    f = sum(r[p] ** 2 for p in range(m))
    derived = sp.ImmutableMatrix([sp.diff(f, wq) for wq in w])
    claimed = sp.ImmutableMatrix(stated(J, r))
    return _compare(
        f"shallow.loss-gradient n={sym.n} d={sym.d} m={m}",
        derived,
        claimed,
        (
            f"SymPy gradient of f = Σ_p (Φ(x_p,w) − y_p)² over P={len(w)} parameters with m={m} "
            "symbolic data points and σ undefined, against the stated formula in J (SymPy Jacobian "
            "of Φ(X,w), m × P) and r = Φ(X,w) − y; residual reduced by expand / doit / simplify."
        ),
    )


# --------------------------------------------------------------------------------------------
# Numeric bridges to JAX autodiff
# --------------------------------------------------------------------------------------------


class GradientBlocks(NamedTuple):
    """A gradient arranged like `verify.models.shallow.Params` (NumPy arrays, no JAX needed)."""

    U: np.ndarray  # (n, d)
    b: np.ndarray  # (n,)
    v: np.ndarray  # (n,)
    c: np.ndarray  # ()


def _as_shape(value: Any, shape: tuple[int, ...], name: str) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != shape:
        raise ValueError(
            f"{name} has shape {arr.shape}; this gradient was built for shape {shape}. "
            "Build a new one with lambdified_gradient(n, d, sigma_name) for these sizes."
        )
    return arr


@functools.lru_cache(maxsize=None)
def lambdified_gradient(
    n: int, d: int, sigma_name: str
) -> Callable[[Any, Any], GradientBlocks]:
    """The SymPy-derived ∇_wΦ for a concrete σ, as a NumPy function (params, x) → GradientBlocks.

    The gradient is derived for the generic σ (`gradient(n, d)`), then σ is replaced by the
    SymPy function of `sigma_name` ∈ `SIGMA_NAMES` and σ' evaluated by SymPy; the result is
    lambdified with NumPy/SciPy. `params` is anything that unpacks as (U, b, v, c), e.g. a
    `verify.models.shallow.Params`; arrays may be NumPy or JAX.
    """
    n = _check_size(n, "n", "the width (number of hidden neurons)")
    d = _check_size(d, "d", "the input dimension")
    concrete = sigma_function(sigma_name)
    sym = symbols(n, d)
    blocks = gradient(n, d)
    flat = [
        entry.replace(SIGMA, concrete).doit() for name in BLOCKS for entry in blocks[name]
    ]
    args = (*sym.parameters, *sym.x)
    fn = sp.lambdify(args, flat, modules=["scipy", "numpy"], cse=True)
    shapes = {"U": (n, d), "b": (n,), "v": (n,), "c": ()}

    def evaluate(params: Any, x: Any) -> GradientBlocks:
        U, b, v, c = params
        parts = [_as_shape(value, shapes[name], f"params.{name}") for name, value in zip(BLOCKS, (U, b, v, c))]
        x_arr = _as_shape(x, (d,), "x")
        values = np.asarray(fn(*(float(t) for part in parts for t in part.ravel()), *x_arr.tolist()), dtype=np.float64)
        out, start = [], 0
        for name in BLOCKS:
            size = int(np.prod(shapes[name], dtype=int))
            out.append(values[start : start + size].reshape(shapes[name]))
            start += size
        return GradientBlocks(*out)

    return evaluate


def stated_gradients_numeric(act_name: str) -> Callable[[Any, Any], Any]:
    """The stated formulas with the JAX activation `act_name`: (params, x) → Params gradient.

    ∇_U = (v⊙σ'(h))xᵀ, ∇_b = v⊙σ'(h), ∇_v = σ(h), ∇_c = 1 with h = Ux+b, σ, σ' from
    `verify.models.activation(act_name)` (any built-in, ReLU included with σ'(0) := 0). This is the
    "formula" side held against `jax.grad(verify.models.shallow.forward)`. JAX is imported here,
    not at module import.
    """
    from verify._jax import jnp
    from verify.models import activation
    from verify.models.shallow import Params

    act = activation(act_name)

    def grad(params: Any, x: Any) -> Any:
        h = params.U @ x + params.b
        delta = params.v * act.df(h)
        return Params(
            U=jnp.outer(delta, x),
            b=delta,
            v=act.f(h),
            c=jnp.ones_like(jnp.asarray(params.c)),
        )

    return grad
