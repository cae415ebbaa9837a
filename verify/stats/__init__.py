"""The statistics core: every Monte Carlo comparison is an interval judged against a band."""
from verify.stats._budget import CATALOGUE_SLOTS, CLAIM_FALSE_FAIL_RATE, RUN_FALSE_FAIL_RATE, Share
from verify.stats._decision import POWER, Band, Decision, decide, resolution, samples_to_decide, two_sided_quantile
from verify.stats._estimators import DEFAULT_BATCHES, Estimate, log_of, mean, variance
from verify.stats._exact import clopper_pearson, dkw_epsilon, ks_distance
from verify.stats._fits import LineFit, wls_line

__all__ = [
    "CATALOGUE_SLOTS", "CLAIM_FALSE_FAIL_RATE", "RUN_FALSE_FAIL_RATE", "Share",
    "POWER", "Band", "Decision", "decide", "resolution", "samples_to_decide", "two_sided_quantile",
    "DEFAULT_BATCHES", "Estimate", "log_of", "mean", "variance",
    "clopper_pearson", "dkw_epsilon", "ks_distance",
    "LineFit", "wls_line",
]
