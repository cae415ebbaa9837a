"""SymPy derivations: what the theory says, proved symbolically (no JAX needed to import).

Each check returns `SymbolicResult`s whose `holds` is decided by an exact SymPy test.
"""
from derive._result import SymbolicResult
from derive.shallow import (
    BLOCKS,
    SIGMA,
    SIGMA_NAMES,
    GenericSymbols,
    GradientBlocks,
    ShallowSymbols,
    check_gradients,
    check_gradients_generic,
    check_loss_gradient,
    generic_symbols,
    gradient,
    lambdified_gradient,
    param_count,
    phi,
    sigma_function,
    sigma_prime,
    stated_gradients,
    stated_gradients_generic,
    stated_gradients_numeric,
    stated_loss_gradient,
    stated_param_count,
    symbols,
)
from derive import shallow

__all__ = [
    "BLOCKS",
    "SIGMA",
    "SIGMA_NAMES",
    "GenericSymbols",
    "GradientBlocks",
    "ShallowSymbols",
    "SymbolicResult",
    "check_gradients",
    "check_gradients_generic",
    "check_loss_gradient",
    "generic_symbols",
    "gradient",
    "lambdified_gradient",
    "param_count",
    "phi",
    "shallow",
    "sigma_function",
    "sigma_prime",
    "stated_gradients",
    "stated_gradients_generic",
    "stated_gradients_numeric",
    "stated_loss_gradient",
    "stated_param_count",
    "symbols",
]
