"""The dedup parameters: what signatures, band keys and verification depend on (`dedup.*` in the config).

An index stores the parameters it was built with and refuses others (`cleaner.dedup.index`); the
cleaning step's copy groups (`cleaner.dedup.copies`) are fingerprinted with the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cleaner.config import Config
from cleaner.dedup.lsh import choose_bands


@dataclass(frozen=True)
class Params:
    """Shingles, signatures and banding; the verification target and margin; the keep policy; what is
    too short to compare by content and how much clean text a pair found on its input must share."""

    shingle_size: int
    num_perm: int
    seed: int
    bands: int
    rows: int
    target: float
    estimate_margin: float
    keep: tuple[str, ...]
    min_tokens: int = 1
    clean_agreement: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "keep": list(self.keep)}


def params_from_config(config: Config) -> Params:
    """The dedup parameters of a configuration (which `Config` checked when it was built)."""
    c = config["dedup"]
    bands, rows = choose_bands(c["num_perm"], c["target_jaccard"], c["candidate_recall"])
    return Params(shingle_size=c["shingle_size"], num_perm=c["num_perm"], seed=c["seed"], bands=bands, rows=rows,
                  target=c["target_jaccard"], estimate_margin=c["estimate_margin"], keep=tuple(c["keep"]),
                  min_tokens=c["min_tokens"], clean_agreement=c["clean_agreement"])
