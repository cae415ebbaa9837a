"""The model contract (see verify.models.mlp for the public surface)."""
