"""Check kinds: one contract (verify._model.Check), small implementations, reused by every group."""
from verify.checks._deferred import Deferred
from verify.checks._exact import Exact, at_least, at_most, derived, exact, symbolic
from verify.checks._outputs import at_width, outputs
from verify.checks._montecarlo import MonteCarloCheck, Sampler, Series
from verify.checks._single import LawEquals, MeanEquals, RareFailure
from verify.checks._sweeps import LimitSweep, PairedScalingLaw, ScalingLaw
from verify.checks._table import Row, table

__all__ = ["Deferred", "Exact", "at_least", "at_most", "derived", "exact", "symbolic", "MonteCarloCheck", "at_width", "outputs",
           "Sampler", "Series", "LawEquals", "MeanEquals", "RareFailure", "LimitSweep", "PairedScalingLaw", "ScalingLaw", "Row",
           "table"]
