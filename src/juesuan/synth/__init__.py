"""Synthetic departments for tests and benchmarks (``juesuan sample synth``)."""

from juesuan.synth.generate import PLANTED_ERRORS, SynthOptions, synth_dataset, write_synth

__all__ = ["PLANTED_ERRORS", "SynthOptions", "synth_dataset", "write_synth"]
