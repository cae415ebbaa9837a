"""Models simulated by the Monte Carlo checks. One implementation each, shared by every claim group."""
from verify.models._activations import ACTIVATIONS, Activation, activation
from verify.models._laws import LAWS, Law, law
from verify.models import shallow

__all__ = ["ACTIVATIONS", "Activation", "activation", "LAWS", "Law", "law", "shallow"]
