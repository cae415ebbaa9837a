"""The model contract: an immutable, hashable spec composed of layers (serial), with init and apply.

    model = serial(Dense(None, "ntk", C_b=0.1), Activation("relu"), Dense(None, "ntk"), Activation("relu"),
                   Dense(1, "ntk"))
    params = model.init(key, width, d)            # tuple over layers: DenseParams(W, b) or ()
    f = model.apply(params, X)                    # X: (k, d) → (k,)

Draws are index-addressed: entry (i, j) of layer ℓ's W is drawn from a key folded from (key, ℓ, i, j), so a
network padded to more units (zero rows and columns past the true width, `init(..., pad_to=N)`, width then
possibly traced) holds exactly the parameters of the unpadded one, and one compilation serves every width
≤ N. Padded units are masked after every layer (σ(0) ≠ 0 for some σ), so the padded network computes the
same function and gradients.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from verify._jax import jax, jnp
from verify.models._laws import law as _law
from verify.models._mlp._layers import Activation, Dense
from verify.models._mlp._parametrization import DenseNumbers


class DenseParams(NamedTuple):
    W: jax.Array  # (out, in): √w_var·ζ
    b: jax.Array | None  # (out,): √b_var·ζ, None without a bias


class LayerPlan(NamedTuple):
    numbers: DenseNumbers | None  # None for an activation layer
    mask: jax.Array | None  # 0/1 over this layer's output units (padded hidden widths), else None


HIDDEN_STRIDE = 2**16  # index stride of rows of a matrix whose fan-in is a hidden width: up to 65535 units


def _draw(law_name: str, key, rows: int, cols: int | None = None, stride: int | None = None):
    """ζ of shape (rows,) or (rows, cols): entry (i, j) from the key fold_in(key, i·stride + j), so that a prefix
    of a larger draw is the smaller draw (padding changes no number) as long as the stride does not depend on
    the padding. One flat vmap of one hash per entry (a nested vmap compiled 4x slower)."""
    sample = _law(law_name).sample
    if cols is None:
        idx = jnp.arange(rows, dtype=jnp.uint32)
    else:
        if cols > stride or rows * stride > 2**32:
            raise ValueError(f"a {rows}×{cols} weight matrix is beyond the index-addressed draws (rows·stride < 2³², "
                             f"stride {stride}: hidden widths up to {HIDDEN_STRIDE - 1}); use narrower layers")
        idx = (jnp.arange(rows, dtype=jnp.uint32)[:, None] * jnp.uint32(stride)
               + jnp.arange(cols, dtype=jnp.uint32)[None, :]).ravel()
    draws = jax.vmap(lambda i: sample(jax.random.fold_in(key, i), ()))(idx)
    return draws if cols is None else draws.reshape(rows, cols)


def _unit_mask(rows: int, size):
    return (jnp.arange(rows) < size).astype(jnp.float64)


@dataclass(frozen=True)
class Model:
    """A network as a sequence of layers. The last layer is Dense(1, …): one scalar output per input."""

    layers: tuple
    label: str = ""

    def __post_init__(self):
        layers = tuple(self.layers)
        object.__setattr__(self, "layers", layers)
        for i, layer in enumerate(layers):
            if not isinstance(layer, (Dense, Activation)):
                raise ValueError(f"layer {i} is {layer!r}; a model is built from Dense(...) and Activation(...) "
                                 "layers")
        if not layers or not isinstance(layers[-1], Dense) or layers[-1].out != 1:
            raise ValueError("the last layer must be Dense(1, ...): the model has one scalar output per input; "
                             f"got {layers[-1] if layers else 'no layers'!r}")

    # ---- shapes and numbers ---------------------------------------------------------------------------------
    @property
    def dense_layers(self) -> tuple[Dense, ...]:
        return tuple(layer for layer in self.layers if isinstance(layer, Dense))

    @property
    def depth(self) -> int:
        """The number of hidden (non-output) dense layers."""
        return len(self.dense_layers) - 1

    def sizes(self, d: int, width) -> tuple:
        """(d, n₁, …, n_L, 1): the fan-in of each dense layer and the output size."""
        return (d, *(layer.size(width) for layer in self.dense_layers))

    def n_params(self, d: int, width: int) -> int:
        s = self.sizes(d, width)
        return int(sum(a * b + (b if layer.has_bias else 0)
                       for a, b, layer in zip(s[:-1], s[1:], self.dense_layers)))

    def kernel_layers(self, d: int, width) -> tuple:
        """Per layer, what the infinite-width kernel maps need: DenseNumbers (fan_in, w_gain2, w_var, b_gain2,
        b_var) for a dense layer, the activation object (.name, .f, .df) for an activation layer."""
        out, fan = [], d
        for layer in self.layers:
            if isinstance(layer, Dense):
                out.append(layer.numbers(fan))
                fan = layer.size(width)
            else:
                out.append(layer.act)
        return tuple(out)

    def ntk_exponent(self, d: int) -> float:
        """e with Θ_n = O(n^e) at init, from an order calculus on the layer numbers (σ taken as O(1) in value
        and slope): the output layer's weight block is O(n) under standard, O(1) under ntk, O(1/n) under
        meanfield, O(n^{1−2α}) under power(α); the largest block wins. Read off at n = 2²⁰ and 2²² (so
        constant bias terms do not bend it), rounded to 1e-3."""
        import math

        big = (self._ntk_proxy(d, 2**20), self._ntk_proxy(d, 2**22))
        return round(math.log(big[1] / big[0]) / math.log(4.0), 3)

    def _ntk_proxy(self, d: int, n: int) -> float:
        numbers = [k for k in self.kernel_layers(d, n) if isinstance(k, DenseNumbers)]
        fans = self.sizes(d, n)[:-1]
        var, forward = 1.0, []  # per-entry variance of each dense layer's input (|x|²/d = 1)
        for num, fan in zip(numbers, fans):
            forward.append(var)
            var = num.w_gain2 * num.w_var * fan * var + num.b_gain2 * num.b_var
        delta2, total = 1.0, 0.0  # ‖δ‖² at each dense layer's output, from the top
        for num, fan, v in zip(reversed(numbers), reversed(fans), reversed(forward)):
            total += num.w_gain2 * fan * v * delta2 + num.b_gain2 * delta2
            delta2 = fan * num.w_gain2 * num.w_var * delta2
        return total

    def plan(self, params, d: int, width=None) -> tuple[LayerPlan, ...]:
        """Per layer, the numbers at its true fan-in and the mask of its output units. width=None: the params
        are unpadded and the fan-ins are read from their shapes."""
        out, fan, mask = [], d, None
        for layer, p in zip(self.layers, params):
            if isinstance(layer, Dense):
                numbers = layer.numbers(p.W.shape[1] if width is None else fan)
                mask = None
                if width is not None:
                    size = layer.size(width)
                    if not (isinstance(size, int) and size == p.W.shape[0]):
                        mask = _unit_mask(p.W.shape[0], size)
                    fan = size
                out.append(LayerPlan(numbers, mask))
            else:
                out.append(LayerPlan(None, mask))
        return tuple(out)

    # ---- init and apply -----------------------------------------------------------------------------------
    def init(self, key, width, d: int, *, pad_to: int | None = None) -> tuple:
        """Parameters at initialisation for the hidden width n = width and inputs of dimension d. With pad_to,
        hidden layers have ceil(ratio·pad_to) rows, the ones past the true width zero, and width may be traced."""
        if pad_to is None and not isinstance(width, int):
            raise ValueError(f"width={width!r}: give an integer width, or pad_to for a traced one")
        if pad_to is not None and isinstance(width, int) and width > pad_to:
            raise ValueError(f"width={width} exceeds pad_to={pad_to}; pad to at least the width")
        params, fan, cols, j = [], d, d, 0
        stride = d  # the first layer's fan-in d is fixed: rows are d apart, so n may exceed 65535
        for layer in self.layers:
            if not isinstance(layer, Dense):
                params.append(())
                continue
            size = layer.size(width)
            rows = size if pad_to is None else layer.padded_size(pad_to)
            numbers = layer.numbers(fan)
            lkey = jax.random.fold_in(key, j)
            W = _draw(layer.law, jax.random.fold_in(lkey, 0), rows, cols, stride) * jnp.sqrt(numbers.w_var)
            b = _draw(layer.law, jax.random.fold_in(lkey, 1), rows) * jnp.sqrt(numbers.b_var) if layer.has_bias \
                else None
            if pad_to is not None:
                rmask = _unit_mask(rows, size)
                W = W * rmask[:, None] * _unit_mask(cols, fan)[None, :]
                b = None if b is None else b * rmask
            params.append(DenseParams(W, b))
            fan, cols, j = size, rows, j + 1
            stride = layer.out if layer.out is not None else HIDDEN_STRIDE
        return tuple(params)

    def apply(self, params, X, *, width=None):
        """f(X) of shape (k,) for inputs X of shape (k, d). width: the true hidden width when params are padded."""
        from verify.models._mlp._tangent import forward

        return forward(self, params, jnp.asarray(X, dtype=jnp.float64), width)[1][:, 0]

    def ntk(self, params, X, Z=None, *, width=None, block=None):
        """The empirical tangent kernel Θ(xᵢ, zⱼ) = ⟨∂f(xᵢ)/∂θ, ∂f(zⱼ)/∂θ⟩ (a (k_x, k_z) array), by the
        per-layer formula (no Jacobian); Z=None: the Gram matrix of X. block: hidden units per block of a
        one-hidden-layer model (default verify.models._gram.block_size(len(X)); the numbers do not depend on it
        beyond rounding)."""
        from verify.models._mlp._tangent import compiled_ntk

        return compiled_ntk(self, params, X, Z, width, block)

    def __str__(self) -> str:
        return self.label or " → ".join(_layer_text(layer) for layer in self.layers)


def _layer_text(layer) -> str:
    if isinstance(layer, Activation):
        return layer.name
    size = "n" if layer.out is None and layer.ratio == 1 else f"{layer.ratio:g}n" if layer.out is None else layer.out
    bias = "" if layer.C_b is None else f", C_b={layer.C_b:g}"
    return f"Dense({size}, {layer.parametrization}, C_W={layer.C_W:g}{bias}, {layer.law})"


def serial(*layers) -> Model:
    return Model(tuple(layers))


def mlp(depth: int, activation: Any, parametrization: Any = "ntk", C_W: float = 1.0, C_b: float | None = None,
        law: str = "normal", widths=None, sizes=None, output_parametrization: Any = None) -> Model:
    """depth hidden layers σ(Dense), then Dense(1). Hidden widths: all n (default), ratio·n for `widths`
    (one ratio per hidden layer), or fixed integers `sizes`. parametrization "meanfield" means NTK hidden
    layers and a mean-field (1/fan-in) output layer; output_parametrization overrides the last layer's."""
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        raise ValueError(f"depth={depth!r}: the number of hidden layers must be an integer ≥ 1")
    if widths is not None and sizes is not None:
        raise ValueError("give widths (ratios to n) or sizes (fixed integers), not both")
    given = widths if widths is not None else sizes
    if given is not None and len(given) != depth:
        raise ValueError(f"{'widths' if widths is not None else 'sizes'}={list(given)!r} has {len(given)} entries; "
                         f"give one per hidden layer (depth={depth})")
    hidden = "ntk" if parametrization == "meanfield" else parametrization
    last = output_parametrization if output_parametrization is not None else parametrization
    layers = []
    for i in range(depth):
        out, ratio = (None, 1.0) if given is None else (None, float(widths[i])) if widths is not None \
            else (sizes[i], 1.0)
        layers += [Dense(out, hidden, C_W, C_b, law, ratio), Activation(activation)]
    layers.append(Dense(1, last, C_W, C_b, law))
    return Model(tuple(layers))
