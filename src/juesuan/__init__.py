"""juesuan (决算): Chinese government final-accounts disclosures from data, checked."""

__version__ = "0.1.0"
