"""The neural-tangents side of benchmarks/ntk_vs_neural_tangents.py. Runs inside the throw-away venv that
script makes (neural-tangents 0.6.5, jax 0.4.25), never in the project's environment.

Protocol: one JSON object per line on stdin, one JSON answer per line on the original stdout (everything else
this process or its libraries print goes to stderr). Arrays travel as .npy files in a folder the parent owns.

    {"op": "versions"}
    {"op": "prepare_kernel", "name": N, "X": path, "layers": [[kind, args...], ...], "out": folder}
        kind "dense" (out, W_std, b_std), "erf", "relu": stax.serial of them in NTK parametrisation;
        jit(kernel_fn)(X, X, ("nngp", "ntk")) compiled, warmed up, the result saved as N.nngp.npy, N.ntk.npy
    {"op": "prepare_empirical", "name": N, "X": path, "params": path.npz (U, b, v, c), "impl": name, "out": folder}
        f(x) = tanh(x Uᵀ + b)·v + c as an apply_fn of the stored parameters; jit(empirical_ntk_fn(f, vmap_axes=0,
        implementation=impl))(X, None, params) compiled, warmed up, the Gram saved as N.ntk.npy
    {"op": "time", "name": N, "calls": k}   k more calls (default 1) in a row, each block_until_ready and timed:
                                            {"seconds": [s₁, …, s_k]}
    {"op": "drop", "name": N}
    {"op": "quit"}
"""
import json
import os
import sys
import time
import traceback

_answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # library chatter (also from C) goes to stderr
sys.stdout = sys.stderr

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import neural_tangents as nt  # noqa: E402
from neural_tangents import stax  # noqa: E402

_cases = {}  # name -> zero-argument callable returning a pytree of arrays


def _block(tree):
    return jax.tree_util.tree_map(lambda a: a.block_until_ready(), tree)


def versions():
    out = {"neural_tangents": nt.__version__, "jax": jax.__version__, "numpy": np.__version__,
           "python": sys.version.split()[0], "devices": [str(d) for d in jax.devices()],
           "XLA_FLAGS": os.environ.get("XLA_FLAGS", "")}
    import jaxlib

    out["jaxlib"] = jaxlib.__version__
    for mod in ("tensorflow", "tf2jax"):
        try:
            out[mod] = __import__(mod).__version__
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            out[mod] = f"not importable: {exc}"
    return out


def _layer(spec):
    kind, *args = spec
    if kind == "dense":
        out, w_std, b_std = args
        return stax.Dense(out, W_std=w_std, b_std=b_std, parameterization="ntk")
    return {"erf": stax.Erf, "relu": stax.Relu}[kind]()


def prepare_kernel(name, X, layers, out):
    X = jnp.asarray(np.load(X), dtype=jnp.float64)
    _, _, kernel_fn = stax.serial(*[_layer(s) for s in layers])
    fn = jax.jit(kernel_fn, static_argnames="get")
    call = lambda: fn(X, X, ("nngp", "ntk"))  # noqa: E731
    nngp, ntk = _block(call())
    _block(call())
    _cases[name] = call
    np.save(os.path.join(out, f"{name}.nngp.npy"), np.asarray(nngp))
    np.save(os.path.join(out, f"{name}.ntk.npy"), np.asarray(ntk))
    return {"dtype": str(nngp.dtype)}


def _apply(params, x):
    return (jnp.tanh(x @ params["U"].T + params["b"]) @ params["v"] + params["c"])[:, None]  # (k, 1)


def prepare_empirical(name, X, params, impl, out):
    X = jnp.asarray(np.load(X), dtype=jnp.float64)
    with np.load(params) as z:
        p = {k: jnp.asarray(z[k], dtype=jnp.float64) for k in ("U", "b", "v", "c")}
    implementation = getattr(nt.NtkImplementation, impl)
    fn = jax.jit(nt.empirical_ntk_fn(_apply, vmap_axes=0, implementation=implementation))
    call = lambda: fn(X, None, p)  # noqa: E731
    gram = _block(call())
    _block(call())
    _cases[name] = call
    np.save(os.path.join(out, f"{name}.ntk.npy"), np.asarray(gram))
    return {"dtype": str(gram.dtype), "shape": list(gram.shape)}


def timed(name, calls=1):
    call = _cases[name]
    seconds = []
    for _ in range(calls):
        t0 = time.perf_counter()
        _block(call())
        seconds.append(time.perf_counter() - t0)
    return {"seconds": seconds}


def main():
    for line in sys.stdin:
        msg = json.loads(line)
        op = msg.pop("op")
        try:
            if op == "quit":
                answer = {}
            elif op == "versions":
                answer = versions()
            elif op == "prepare_kernel":
                answer = prepare_kernel(**msg)
            elif op == "prepare_empirical":
                answer = prepare_empirical(**msg)
            elif op == "time":
                answer = timed(**msg)
            elif op == "drop":
                _cases.pop(msg["name"], None)
                answer = {}
            else:
                raise ValueError(f"unknown op {op!r}")
            answer["ok"] = True
        except Exception as exc:  # noqa: BLE001 - the parent reports it
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000], "traceback": traceback.format_exc()}
        _answers.write(json.dumps(answer) + "\n")
        if op == "quit":
            return


if __name__ == "__main__":
    main()
