"""Defaults of user claims: named tolerances with their reasons, sweeps and budgets per profile.
A claim file may override each; these are what a claim gets when it says nothing."""
from __future__ import annotations

from verify._model import PerProfile
from verify.tolerances import CLT_EXPONENT, LAW_KS, Tol

LIMIT_REL = Tol(0.02, "relative, on an extrapolated limit: the suite's kernel tolerance (KERNEL_REL); a wrong "
                      "closed form (σ' for σ, a missing factor) is off by far more, and the quick profile resolves 2%")
EXPONENT = Tol(0.1, "on a log-log slope over ≥ 1.2 decades of width: separates exponents 1/4 apart (m^(α−1) from "
                    "m^(α−3/2)) and absorbs O(1/n) curvature at n ≥ 64")
FLUCTUATION = CLT_EXPONENT  # Var ∝ n^-1 of an average over n units, as in the catalogue's limit sweeps
MOMENT_REL = Tol(0.02, "relative, on a moment at one setting: a wrong constant or power is off by more")
KS = LAW_KS  # Kolmogorov distance accepted as 'the same law'
KS_GROWTH = Tol(0.04, "the Kolmogorov distance may rise by at most this much from the smallest to the largest width "
                      "('does not grow'): twice the accepted distance, so that DKW intervals of ±0.012 per width "
                      "(40000 draws) decide it; it guards against a law that drifts away with width, not a wobble")
IDENTITY_REL = Tol(1e-30, "relative difference of the two sides at 50 digits: round-off of a formula of a few hundred "
                          "operations stays below 1e-45, so 1e-30 leaves 15 digits for cancellation")
PSD_CONFIRMED = Tol(1e-30, "λ_min/max|Kᵢⱼ| at 50 digits below which a negative eigenvalue is real, not round-off")

LIMIT_WIDTHS = PerProfile((64, 128, 256, 512, 1024), (64, 128, 256, 512, 1024, 2048, 4096),
                          (64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384))
SCALING_WIDTHS = PerProfile((64, 256, 1024, 4096), (64, 256, 1024, 4096, 16384), (64, 256, 1024, 4096, 16384, 65536))
LAW_WIDTHS = PerProfile((16, 1024), (16, 4096), (16, 16384))  # the law is judged at the largest
SWEEP_REPLICATES = PerProfile(400, 1000, 4000)
MOMENT_REPLICATES = PerProfile(2000, 4000, 16000)
LAW_REPLICATES = PerProfile(40000, 80000, 320000)  # DKW ε ≈ 0.012 at α ≈ 1e-5 with 40000
IDENTITY_POINTS = PerProfile(20, 60, 200)
PSD_BUDGET = PerProfile(  # (random point sets, hypothesis examples, local minimisations)
    (300, 100, 4), (1500, 400, 12), (6000, 2000, 30))
PSD_MAX_POINTS = 8
