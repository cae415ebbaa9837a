"""Our float64 kernels against neural-tangents 0.6.5, both sides in one script, interleaved, as ratios.

    python benchmarks/ntk_vs_neural_tangents.py            # full: widths 1e3, 1e4, 1e5 (issue 15, target 3)
    python benchmarks/ntk_vs_neural_tangents.py --quick    # smoke run: fewer repetitions, widths up to 1e4
    python benchmarks/ntk_vs_neural_tangents.py --venv DIR # where the peer's venv lives (reused if present)

neural-tangents is never a project dependency: it gets a throw-away virtual environment (default
$TMPDIR/ntkverify-nt-venv) made here with `python3 -m venv` and the pins of issue 13 (its structured-derivatives
mode only runs on that JAX). Its side runs in a subprocess of that venv (benchmarks/_nt_side.py, float64);
ours runs in this interpreter. Repetitions alternate between the sides (ours, theirs, ours, theirs, …) so
that load changes hit both alike; each side times its own call after warm-up (compilation excluded,
block_until_ready; each side's turn opens with one untimed call, see `interleave`; a sub-millisecond case is called
several times in a row per turn, so that its median has hundreds of samples), and the table shows medians and
theirs/ours ratios (> 1: ours is faster).

Cases (float64, CPU, 64 seeded inputs in d = 8; both sides get the very same arrays):
  a. infinite-width NNGP and NTK Gram matrices, NTK parametrisation: ours numeric.kernels_f64 through
     verify.models.reference.nngp_ntk(mlp(depth, σ, "ntk", C_W, C_b), X, precision="f64"); theirs
     jit(stax.serial(Dense(512, W_std, b_std, "ntk"), σ, …, Dense(1, …)).kernel_fn)(X, X, ("nngp", "ntk")).
     Conventions: C_W = W_std², C_b = b_std², both start from K⁰ = XXᵀ/d. The mpmath path
     (precision="mp", certified digits) arbitrates when the two float64 sides differ.
  b. empirical NTK Gram of the shallow tanh net f(x) = vᵀtanh(Ux + b) + c (stored parameters, LeCun scale,
     drawn once with numpy): ours the model contract's structured formula (mlp(1, "tanh", "standard",
     C_b=0.0).ntk, called as a user calls it: it compiles itself) and the catalogue's
     (jax.jit(verify.models.shallow.ntk_matrix), a plain function), both summed over blocks of hidden
     units with exactly symmetric products (verify.models._gram); theirs nt.empirical_ntk_fn(f, vmap_axes=0,
     implementation=…) for each implementation, the best of them in the ratio. numpy's fp64 2000² A@B is timed
     in the same interleaved rounds: "% of peak" is the Gram's flops (counted as issue 15 counts them: full
     m×m products, 2·m·n·d + 4·m²·n) over the median Gram time, as a share of A@B's flops over its median time
     under the same load.
Agreement: max_ij |ours − theirs| / max_ij |theirs| (relative to the Gram's scale; the target is 1e-10);
the entry-wise max_ij |ours − theirs| / |theirs_ij| is shown beside it.
Timings depend on the machine's load: the 1-minute load average is printed beside every row, and before and
after; ratios (both sides in the same rounds) are what count on a shared machine. The last lines check issue 15's
targets: ≥ 10× neural-tangents' best at every n, ≥ 40% of the matmul throughput at n = 1e5, Model.ntk within 2×
of shallow.ntk_matrix, infinite-width kernels within 2× of neural-tangents' kernel_fn.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEER_ENV = dict(os.environ)  # before verify._jax adds its XLA_FLAGS: the peer runs as a plain JAX user would
PINS = ["neural-tangents==0.6.5", "jax==0.4.25", "jaxlib==0.4.25", "numpy<2", "tensorflow<2.18", "tf2jax==0.3.6"]
EXPECT = {"neural_tangents": "0.6.5", "jax": "0.4.25"}
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TOL = 1e-10
TARGETS = {"vs_nt": 10.0, "peak_at_1e5": 40.0, "model_vs_shallow": 2.0, "kernel_vs_nt": 2.0}  # issue 15, target 3
MATMUL_SIZE = 2000  # the reference product: numpy fp64 A@B of two 2000² matrices
M, D = 64, 8
IMPLEMENTATIONS = ("JACOBIAN_CONTRACTION", "NTK_VECTOR_PRODUCTS", "STRUCTURED_DERIVATIVES")


# ---- the peer's venv and process ---------------------------------------------------------------------------
def _peer_ok(python: Path) -> tuple[bool, str]:
    code = ("import json, neural_tangents as nt, jax, tf2jax, tensorflow; "
            "print(json.dumps({'neural_tangents': nt.__version__, 'jax': jax.__version__}))")
    env = dict(PEER_ENV, TF_CPP_MIN_LOG_LEVEL="2")
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        return False, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    return got == EXPECT, f"found {got}, want {EXPECT}"


def ensure_venv(folder: Path) -> Path:
    python = folder / "bin" / "python"
    if python.exists():
        ok, why = _peer_ok(python)
        if ok:
            print(f"peer venv: {folder} (reused)")
            return python
        print(f"peer venv: {folder} is not usable ({why}); installing the pins into it")
    else:
        base = shutil.which("python3") or sys.executable
        print(f"peer venv: creating {folder} with {base} -m venv")
        proc = subprocess.run([base, "-m", "venv", str(folder)], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"could not create the venv {folder}: {proc.stderr.strip() or proc.stdout.strip()}")
    print("peer venv: pip install " + " ".join(PINS) + " (about 700 MB, tensorflow is most of it)", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PINS],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        sys.exit(f"pip could not install neural-tangents' pins into {folder} (exit {proc.returncode}):\n{tail}\n"
                 "No numbers without the peer: fix the install (or pass --venv to a working one) and re-run.")
    ok, why = _peer_ok(python)
    if not ok:
        sys.exit(f"the venv {folder} installed but does not import the pinned versions: {why}")
    print(f"peer venv: installed in {time.perf_counter() - t0:.0f} s")
    return python


class Peer:
    """benchmarks/_nt_side.py in the peer's venv, spoken to one JSON line at a time."""

    def __init__(self, python: Path):
        env = dict(PEER_ENV, TF_CPP_MIN_LOG_LEVEL="2", JAX_PLATFORMS="cpu")
        self.proc = subprocess.Popen([str(python), str(HERE / "_nt_side.py")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)

    def __call__(self, op: str, **kw) -> dict:
        self.proc.stdin.write(json.dumps({"op": op, **kw}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the neural-tangents process ended (exit {self.proc.wait()}) during {op}")
        return json.loads(line)

    def close(self):
        try:
            self("quit")
        finally:
            self.proc.wait(timeout=30)


# ---- measuring -------------------------------------------------------------------------------------------
def agreement(ours, theirs) -> tuple[float, float, float]:
    """(max|Δ|/max|theirs|, entry-wise max|Δ|/|theirs_ij|, max|Δ|/max|theirs| off the diagonal)."""
    import numpy as np

    ours, theirs = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    diff = np.abs(ours - theirs)
    scale = np.abs(theirs).max()
    off = diff[~np.eye(len(diff), dtype=bool)].max() if len(diff) > 1 else 0.0
    return float(diff.max() / scale), float((diff / np.abs(theirs)).max()), float(off / scale)


def timer(fn):
    import jax

    def once() -> float:
        t0 = time.perf_counter()
        jax.block_until_ready(fn())
        return time.perf_counter() - t0

    return once


def interleave(ours: dict, theirs: dict, peer: Peer, reps: int, calls: int = 1,
               per_round: dict | None = None) -> dict[str, list[float]]:
    """reps rounds of: each of ours `calls` times in a row, each of `per_round` once, then each of theirs `calls`
    times in a row (theirs timed inside the peer, one request per case). A case of a fraction of a millisecond needs
    many samples for its median (five rounds at n = 1e3 put model.ntk and shallow.ntk_matrix, one compiled program,
    18% apart), and a round costs numpy's A@B (per_round, about a second): more calls per round, not more rounds.

    Each side's turn opens with one untimed call of its first case: right after a switch the other process's
    threads are still spinning (OpenBLAS's after numpy's A@B, XLA's after the other side's last call) and this
    side's own have gone to sleep, which landed on whichever case came first (at load 7, n = 1e3:
    shallow.ntk_matrix 1.0 ms first in our turn against 0.63 ms later; neural-tangents' first case 9.2 ms
    against 6.6 ms; measured both ways round). Both sides are then timed in their steady state."""
    per_round = per_round or {}
    times = {name: [] for name in [*ours, *per_round, *theirs]}
    for _ in range(reps):
        next(iter(ours.values()))()
        for name, once in ours.items():
            times[name] += [once() for _ in range(calls)]
        for name, once in per_round.items():
            times[name].append(once())
        if theirs:
            peer("time", name=next(iter(theirs.values())))
        for name, peer_name in theirs.items():
            times[name] += peer("time", name=peer_name, calls=calls)["seconds"]
    return times


def med_ms(ts: list[float]) -> float:
    return 1e3 * statistics.median(ts)


def load1() -> float:
    """The 1-minute load average (what `uptime` shows first)."""
    return round(os.getloadavg()[0], 2)


def numpy_matmul():
    """A timer of numpy's fp64 A@B at MATMUL_SIZE², to be interleaved with the Gram timings."""
    import numpy as np

    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((MATMUL_SIZE, MATMUL_SIZE)), rng.standard_normal((MATMUL_SIZE, MATMUL_SIZE))
    A @ B
    return timer(lambda: A @ B)


def matmul_gflops(reps: int = 7) -> tuple[float, float]:
    """fp64 throughput of numpy's A@B at MATMUL_SIZE² (2·size³ flops per product), and of jnp.dot on the same."""
    import numpy as np

    from verify._jax import jax, jnp

    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((MATMUL_SIZE, MATMUL_SIZE)), rng.standard_normal((MATMUL_SIZE, MATMUL_SIZE))
    flops = 2 * MATMUL_SIZE**3
    A @ B
    numpy_t = statistics.median(timer(lambda: A @ B)() for _ in range(reps))
    Aj, Bj = jax.device_put(A), jax.device_put(B)
    dot = jax.jit(jnp.dot)
    jax.block_until_ready(dot(Aj, Bj))
    jax_t = statistics.median(timer(lambda: dot(Aj, Bj))() for _ in range(reps))
    return flops / numpy_t / 1e9, flops / jax_t / 1e9


# ---- a. infinite-width kernels ------------------------------------------------------------------------------
KERNEL_CASES = [  # name, depth, activation, W_std, b_std
    ("erf, 1 hidden", 1, "erf", 1.5, 0.5),
    ("relu, 1 hidden", 1, "relu", 2.0**0.5, 0.1),
    ("relu, depth 3", 3, "relu", 2.0**0.5, 0.1),
]


def kernel_cases(peer: Peer, X, work: Path, reps: int, arbiter: bool) -> list[dict]:
    import numpy as np

    from numeric import kernels_f64
    from verify._jax import jax
    from verify.models.mlp import DenseNumbers, mlp
    from verify.models.reference import nngp_ntk

    rows = []
    for i, (label, depth, act, w_std, b_std) in enumerate(KERNEL_CASES):
        model = mlp(depth, act, "ntk", C_W=w_std**2, C_b=b_std**2)
        layers = [["dense", 512, w_std, b_std], [act]] * depth + [["dense", 1, w_std, b_std]]
        name = f"kernel{i}"
        answer = peer("prepare_kernel", name=name, X=str(work / "X.npy"), layers=layers, out=str(work))
        if not answer["ok"]:
            rows.append({"case": label, "error": answer["error"]})
            print(f"  {label}: neural-tangents failed: {answer['error']}")
            continue
        theirs = {q: np.load(work / f"{name}.{q}.npy") for q in ("nngp", "ntk")}

        api = lambda: nngp_ntk(model, X, precision="f64")  # noqa: E731 - the user-facing call
        numbers = model.kernel_layers(D, 1)

        @jax.jit
        def fold(X):  # the same layer maps under one jit: how much of ours is dispatch (diagnostic)
            kern = kernels_f64.input_kernel(X)
            for item in numbers:
                kern = kernels_f64.dense(kern, **item._asdict()) if isinstance(item, DenseNumbers) \
                    else kernels_f64.activation(kern, item)
            return kern.nngp, kern.ntk

        Xj = jax.device_put(X)
        ours_api = api()
        ours_jit = fold(Xj)
        for _ in range(2):
            jax.block_until_ready((api().nngp, api().ntk, fold(Xj)))
        times = interleave({"ours": timer(lambda: (lambda k: (k.nngp, k.ntk))(api())),
                            "ours_jit": timer(lambda: fold(Xj))}, {"theirs": name}, peer, reps)
        peer("drop", name=name)
        row = {"case": label, "C_W": w_std**2, "C_b": b_std**2, "load": load1(),
               **{k: med_ms(v) for k, v in times.items()}}
        for q, j in (("nngp", 0), ("ntk", 1)):
            row[f"agree_{q}"] = agreement(getattr(ours_api, q), theirs[q])
            row[f"agree_jit_{q}"] = agreement(ours_jit[j], theirs[q])
        if arbiter and max(row["agree_nngp"][0], row["agree_ntk"][0]) > TOL:
            ref = nngp_ntk(model, X, precision="mp")
            for q in ("nngp", "ntk"):
                exact = np.array(getattr(ref, q).tolist(), dtype=np.float64)
                row[f"mp_{q}"] = (agreement(getattr(ours_api, q), exact)[0], agreement(theirs[q], exact)[0],
                                  ref.digits)
        rows.append(row)
        print(f"  {label}: ours {row['ours']:.3f} ms (one jit {row['ours_jit']:.3f}), theirs {row['theirs']:.3f} ms"
              f", agreement nngp {row['agree_nngp'][0]:.1e} ntk {row['agree_ntk'][0]:.1e} (load {row['load']})",
              flush=True)
    return rows


# ---- b. empirical NTK ---------------------------------------------------------------------------------------
def empirical_cases(peer: Peer, X, widths, reps_of, work: Path, seed: int) -> list[dict]:
    """reps_of(n): (rounds, calls per case and round) at width n."""
    import numpy as np

    from verify._jax import jax, jnp
    from verify.models import shallow
    from verify.models._activations import activation
    from verify.models.mlp import DenseParams, mlp

    tanh = activation("tanh")
    model = mlp(1, "tanh", "standard", C_W=1.0, C_b=0.0)  # z = W a + b on the stored parameters: the shallow net
    ours_shallow = jax.jit(lambda p, X: shallow.ntk_matrix(p, X, tanh))
    Xj = jnp.asarray(X)
    matmul = numpy_matmul()
    rows = []
    for n in widths:
        rng = np.random.default_rng([seed, n])
        U = rng.standard_normal((n, D)) / np.sqrt(D)
        b = 0.3 * rng.standard_normal(n)
        v = rng.standard_normal(n) / np.sqrt(n)
        c = np.float64(rng.standard_normal())
        np.savez(work / f"params{n}.npz", U=U, b=b, v=v, c=c)
        p_model = (DenseParams(jnp.asarray(U), jnp.asarray(b)), (),
                   DenseParams(jnp.asarray(v)[None, :], jnp.asarray(c)[None]))
        p_shallow = shallow.Params(jnp.asarray(U), jnp.asarray(b), jnp.asarray(v), jnp.asarray(c))
        ours = {"model.ntk": lambda: model.ntk(p_model, Xj), "shallow.ntk_matrix": lambda: ours_shallow(p_shallow, Xj)}
        grams = {}
        for name, fn in ours.items():
            grams[name] = np.asarray(fn())
            jax.block_until_ready(fn())
        theirs, errors = {}, {}
        for impl in IMPLEMENTATIONS:
            answer = peer("prepare_empirical", name=f"{impl}{n}", X=str(work / "X.npy"),
                          params=str(work / f"params{n}.npz"), impl=impl, out=str(work))
            if answer["ok"]:
                theirs[impl] = f"{impl}{n}"
                grams[impl] = np.load(work / f"{impl}{n}.ntk.npy")
            else:
                errors[impl] = answer["error"]
                print(f"  n={n}: neural-tangents {impl} failed: {answer['error']}", flush=True)
        rounds, calls = reps_of(n)
        times = interleave({k: timer(fn) for k, fn in ours.items()}, theirs, peer, rounds, calls, {"matmul": matmul})
        for name in theirs.values():
            peer("drop", name=name)
        med = {k: med_ms(t) for k, t in times.items()}
        matmul_ms = med.pop("matmul")
        best = min(theirs, key=med.get) if theirs else None
        ref = grams[best] if best else None
        agree = {k: agreement(g, ref) for k, g in grams.items()} if best else {}
        row = {"n": n, "ms": med, "best": best, "errors": errors, "agree": agree, "load": load1(),
               "flops": 2 * M * n * D + 4 * M * M * n, "matmul_gflops": 2 * MATMUL_SIZE**3 / matmul_ms / 1e6}
        rows.append(row)
        print(f"  n={n}: " + ", ".join(f"{k} {v:.2f} ms" for k, v in med.items()) + f"; best theirs {best}; "
              f"numpy A@B {row['matmul_gflops']:.1f} GFLOP/s (load {row['load']})", flush=True)
    return rows


# ---- report ---------------------------------------------------------------------------------------------------
def peak(row: dict, name: str) -> float:
    """The % of the matmul throughput measured in the same rounds that the Gram `name` of this row reaches."""
    return 100 * row["flops"] / (row["ms"][name] / 1e3) / (row["matmul_gflops"] * 1e9)


def targets(kernels, empirical) -> list[tuple[str, bool]]:
    """Issue 15 target 3, one (statement with the figures, met) per requirement that this run measured."""
    out = []
    for r in empirical:
        if r["best"]:
            best = r["ms"][r["best"]]
            model, shal = best / r["ms"]["model.ntk"], best / r["ms"]["shallow.ntk_matrix"]
            out.append((f"n={r['n']}: neural-tangents' best / ours ≥ {TARGETS['vs_nt']:g} (model.ntk {model:.1f}×, "
                        f"shallow {shal:.1f}×; load {r['load']})", min(model, shal) >= TARGETS["vs_nt"]))
        ratio = r["ms"]["model.ntk"] / r["ms"]["shallow.ntk_matrix"]
        out.append((f"n={r['n']}: model.ntk / shallow.ntk_matrix ≤ {TARGETS['model_vs_shallow']:g} ({ratio:.2f}; "
                    f"load {r['load']})", ratio <= TARGETS["model_vs_shallow"]))
        if r["n"] == 100000:
            low = min(peak(r, k) for k in ("model.ntk", "shallow.ntk_matrix"))
            out.append((f"n=1e5: ≥ {TARGETS['peak_at_1e5']:g}% of numpy's A@B throughput (model.ntk "
                        f"{peak(r, 'model.ntk'):.0f}%, shallow {peak(r, 'shallow.ntk_matrix'):.0f}%; load {r['load']})",
                        low >= TARGETS["peak_at_1e5"]))
    for r in kernels:
        if "error" not in r:
            ratio = r["ours"] / r["theirs"]
            out.append((f"{r['case']}: infinite-width ours / kernel_fn ≤ {TARGETS['kernel_vs_nt']:g} ({ratio:.2f}; "
                        f"one jit {r['ours_jit'] / r['theirs']:.2f}; load {r['load']})",
                        ratio <= TARGETS["kernel_vs_nt"]))
    return out


def report(kernels, empirical, gflops, jax_gflops):
    print("\n## a. Infinite-width NNGP and NTK Gram (64×64, float64), NTK parametrisation; medians")
    print(f"{'case':<16} {'C_W':>6} {'C_b':>5} {'ours ms':>9} {'ours 1-jit':>10} {'NT ms':>8} {'NT/ours':>8} "
          f"{'NT/1-jit':>8} {'agree nngp':>10} {'agree ntk':>10} {'entrywise':>10} {'off-diag':>9} {'load':>6}")
    for r in kernels:
        if "error" in r:
            print(f"{r['case']:<16} neural-tangents failed: {r['error']}")
            continue
        entry = max(r["agree_nngp"][1], r["agree_ntk"][1])
        off = max(r["agree_nngp"][2], r["agree_ntk"][2])
        print(f"{r['case']:<16} {r['C_W']:>6.3g} {r['C_b']:>5.3g} {r['ours']:>9.3f} {r['ours_jit']:>10.3f} "
              f"{r['theirs']:>8.3f} {r['theirs'] / r['ours']:>8.2f} {r['theirs'] / r['ours_jit']:>8.2f} "
              f"{r['agree_nngp'][0]:>10.1e} {r['agree_ntk'][0]:>10.1e} {entry:>10.1e} {off:>9.1e} {r['load']:>6.2f}")
        for q in ("nngp", "ntk"):
            if f"mp_{q}" in r:
                o, t, digits = r[f"mp_{q}"]
                print(f"{'':<16} {q} against mpmath ({digits} digits certified): ours {o:.1e}, neural-tangents {t:.1e}")
    print("agree = max|ours − NT|/max|NT| over the Gram (entrywise: max of |Δ|/|NT_ij|; off-diag: the first "
          "without the diagonal, where ρ = 1 makes arccos ill-conditioned).")
    print("ours = reference.nngp_ntk(model, X, precision='f64') as a user calls it; ours 1-jit = the same "
          "kernels_f64 layer maps folded under one jax.jit (diagnostic: the difference is per-call dispatch).")

    print(f"\n## b. Empirical NTK Gram, shallow tanh net, 64 inputs in d = {D} (float64); medians in ms")
    print(f"matmul peak: numpy {MATMUL_SIZE}² A@B timed in the same rounds as each row (GFLOP/s column); at the "
          f"end, alone: numpy {gflops:.1f} GFLOP/s, jnp.dot {jax_gflops:.1f} GFLOP/s. Gram flops counted as 2·m·n·d "
          "(preactivations) + 2·2·m²·n (the two m×m products over n, full matrices), elementwise work not counted")
    head = f"{'n':>7} {'model.ntk':>10} {'shallow':>9} " + " ".join(f"{i[:11]:>11}" for i in IMPLEMENTATIONS)
    print(head + f" {'best/model':>10} {'best/shal':>9} {'model/shal':>10} {'%peak mdl':>9} {'%peak shl':>9} "
          f"{'A@B GF/s':>8} {'load':>6}")
    for r in empirical:
        ms = r["ms"]
        cells = " ".join(f"{ms[i]:>11.2f}" if i in ms else f"{'failed':>11}" for i in IMPLEMENTATIONS)
        best = ms[r["best"]] if r["best"] else float("nan")
        print(f"{r['n']:>7} {ms['model.ntk']:>10.2f} {ms['shallow.ntk_matrix']:>9.2f} {cells} "
              f"{best / ms['model.ntk']:>10.2f} {best / ms['shallow.ntk_matrix']:>9.2f} "
              f"{ms['model.ntk'] / ms['shallow.ntk_matrix']:>10.2f} {peak(r, 'model.ntk'):>8.0f}% "
              f"{peak(r, 'shallow.ntk_matrix'):>8.0f}% {r['matmul_gflops']:>8.1f} {r['load']:>6.2f}")
    print("agreement with neural-tangents' best implementation, max|Δ|/max|Gram| (entry-wise in brackets):")
    for r in empirical:
        print(f"  n={r['n']:>6}: " + ", ".join(f"{k} {a[0]:.1e} [{a[1]:.1e}]" for k, a in r["agree"].items()))
        for impl, err in r["errors"].items():
            print(f"  n={r['n']:>6}: {impl} failed: {err}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, widths up to 1e4 (a smoke run)")
    ap.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "ntkverify-nt-venv",
                    help="the peer's throw-away venv (made if missing, reused if present)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-arbiter", action="store_true",
                    help="skip the mpmath reference that is computed when the two sides disagree beyond 1e-10")
    args = ap.parse_args()

    print(f"load average before: {tuple(round(x, 2) for x in os.getloadavg())} on {os.cpu_count()} cores")
    python = ensure_venv(args.venv.resolve())

    import numpy as np

    from importlib import metadata

    from verify._jax import jax

    peer = Peer(python)
    try:
        theirs_v = peer("versions")
        ours_v = {"ntkverify": metadata.version("ntkverify"), "jax": jax.__version__,
                  "jaxlib": __import__("jaxlib").__version__, "numpy": np.__version__,
                  "python": sys.version.split()[0], "devices": [str(d) for d in jax.devices()],
                  "XLA_FLAGS": os.environ.get("XLA_FLAGS", "")}
        theirs_v.pop("ok", None)
        print("ours:  " + json.dumps(ours_v))
        print("theirs: " + json.dumps(theirs_v))

        X = np.random.default_rng(args.seed).standard_normal((M, D))
        widths = [1000, 10000] if args.quick else [1000, 10000, 100000]
        kernel_reps = 10 if args.quick else 40
        reps_of = (lambda n: (5, 20) if n <= 1000 else (3, 3)) if args.quick else \
            (lambda n: {1000: (30, 10), 10000: (15, 2)}.get(n, (7, 1)))  # (rounds, calls per case and round)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            np.save(work / "X.npy", X)
            print("\na. infinite-width kernels", flush=True)
            kernels = kernel_cases(peer, X, work, kernel_reps, not args.no_arbiter)
            print("b. empirical NTK", flush=True)
            empirical = empirical_cases(peer, X, widths, reps_of, work, args.seed)
        gflops, jax_gflops = matmul_gflops()
    finally:
        peer.close()
    report(kernels, empirical, gflops, jax_gflops)
    print(f"\nrepetitions: kernels {kernel_reps}, empirical " + ", ".join(
        "n={}: {} rounds × {} calls".format(n, *reps_of(n)) for n in widths) + " (interleaved ours/theirs)")
    print(f"load average after: {tuple(round(x, 2) for x in os.getloadavg())} on {os.cpu_count()} cores")
    print("\nissue 15 target 3:")
    for text, met in targets(kernels, empirical):
        print(f"  {'met ' if met else 'MISS'} {text}")
    bad = [r["case"] for r in kernels if "error" not in r and max(r["agree_nngp"][0], r["agree_ntk"][0]) > TOL]
    bad += [f"n={r['n']} {k}" for r in empirical for k, a in r["agree"].items() if a[0] > TOL]
    if bad:
        print(f"DISAGREEMENT beyond {TOL:g}: {', '.join(bad)} (the mpmath lines of the table say which side is off)")
    failed = [r["case"] for r in kernels if "error" in r] + [f"n={r['n']} {i}" for r in empirical for i in r["errors"]]
    if failed:
        print(f"neural-tangents failed on: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
