"""Scaling, law and moment claims written in Python.  Run:  ntkverify check examples/claims_scaling.py

Each builder returns an ordinary Claim; the file's claims are the ones listed in CLAIMS.
"""
from verify.claimfile import law, limit, moment, psd, scaling

ALPHA = 0.25  # a normalisation m^-α, as in the linear network of seed 003

CLAIMS = [
    # K_n(x,z) itself grows like n^1, i.e. K_n/n like n^(α−1) with α = 1.
    scaling("user.ntk-grows-linearly",
            "K_n(x,z) = O(n): the tangent kernel over the width stays of order one.",
            observable="shallow.ntk_over_n", params={"activation": "tanh"},
            parameters={"alpha": 1}, exponent="alpha - 1", widths=[256, 1024, 4096]),
    # n^-α |Σξᵢ| ∝ n^(1/2 − α): the CLT scale of a sum.
    scaling("user.sum-scale",
            "E|n^-α Σᵢ ξᵢ| ∝ n^(1/2 − α) for iid centred ξᵢ.",
            observable="toy.sum", params={"power": "alpha", "law": "uniform"}, column=1,
            parameters={"alpha": ALPHA}, exponent="1/2 - alpha"),
    # The same sum, normalised by √n, is asymptotically normal (CLT).
    law("user.clt-uniform",
        "n^-1/2 Σᵢ ξᵢ → N(0, s²) in law for iid centred uniform ξᵢ with standard deviation s.",
        observable="toy.sum", params={"law": "uniform", "sd": 1.5}, column=0,
        law="normal", mean=0, variance="sd^2", widths=[8, 256]),
    # (1/n)‖ξ‖² → E ξ² = μ² + s² (law of large numbers), with the CLT rate of fluctuations.
    limit("user.mean-square",
          "(1/n) Σᵢ ξᵢ² → μ² + s² for iid ξᵢ with mean μ and standard deviation s.",
          observable="toy.sum", params={"mean": 0.5, "sd": 2.0}, column="(1/n)Σξᵢ²",
          expected="mean^2 + sd^2"),
    # E[(n^-1/2 Σ εᵢ)⁴] = 3 − 2/n for Rademacher signs (the fourth cumulant is −2/n): 2.5 at n = 4,
    # which a 10% tolerance separates from the Gaussian 3.
    moment("user.fourth-moment",
           "E[(n^-1/2 Σᵢ εᵢ)⁴] = 3 − 2/n for Rademacher εᵢ.",
           observable="toy.sum", params={"law": "rademacher"}, column=0, power=4, width=4,
           parameters={"n": 4}, expected="3 - 2/n", tolerance=0.1, replicates=40000),
    # The arc-cosine kernel of degree 0 is a kernel (the NTK of a ReLU layer is built from it).
    psd("user.arccos0-psd",
        "k(x, y) = 1 − arccos(⟨x,y⟩/(‖x‖‖y‖))/π is positive semidefinite.",
        kernel="1 - acos(dot(x, y)/(norm(x)*norm(y)))/pi", dimension=2, domain=[0.2, 2]),
]
