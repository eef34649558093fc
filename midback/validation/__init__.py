"""Clinical validation: vignettes, a simulated patient, and the benchmark figures."""

from midback.validation.benchmark import BenchmarkReport, run_benchmark
from midback.validation.vignettes import Vignette, VignetteError, load_vignettes

__all__ = ["BenchmarkReport", "Vignette", "VignetteError", "load_vignettes", "run_benchmark"]
