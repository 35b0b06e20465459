"""Tooling that is not deployed: evaluation, benchmarks, the synthetic stream, the generated blocks of the docs."""
