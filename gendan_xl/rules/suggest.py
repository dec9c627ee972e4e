"""Fuzzy suggestions between two lists of normalised keys (rapidfuzz), never applied as matches."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

MIN_SCORE = 80
MAX_PAIRS = 50_000_000  # about a second on two cores; beyond that no suggestions are computed
_CHUNK = 2_000


@dataclass(frozen=True)
class Nearest:
    """Best partner of every query and every choice: its position (-1: none) and score (0-100)."""

    query_best: np.ndarray
    query_score: np.ndarray
    choice_best: np.ndarray
    choice_score: np.ndarray


def capped_nearest(queries: list[str], choices: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The most similar choice (position, -1: none) and score of each query, as :func:`nearest`, for
    as many queries as ``MAX_PAIRS`` allows, in order; queries past that cap get none."""
    cap = MAX_PAIRS // max(len(choices), 1)
    best, score = np.full(len(queries), -1), np.zeros(len(queries), dtype=np.int64)
    found = nearest(queries[:cap], choices)
    if found is not None:
        best[:cap], score[:cap] = found.query_best, found.query_score
    return best, score


def nearest(queries: list[str], choices: list[str], *, min_score: int = MIN_SCORE) -> Nearest | None:
    """The most similar choice for each query and query for each choice (``fuzz.ratio``).

    Scores below ``min_score`` and blank keys give no partner; ties go to the first. None when the
    lists are too large to compare pair by pair (more than ``MAX_PAIRS`` pairs).
    """
    if len(queries) * len(choices) > MAX_PAIRS:
        return None
    q_best, q_score = np.full(len(queries), -1), np.zeros(len(queries), dtype=np.int64)
    c_best, c_score = np.full(len(choices), -1), np.zeros(len(choices), dtype=np.int64)
    q_ok = np.flatnonzero([bool(q) for q in queries])
    c_ok = np.flatnonzero([bool(c) for c in choices])
    if len(q_ok) and len(c_ok):
        picked = [choices[i] for i in c_ok]
        for start in range(0, len(q_ok), _CHUNK):
            rows = q_ok[start:start + _CHUNK]
            scores = process.cdist([queries[i] for i in rows], picked, scorer=fuzz.ratio,
                                   score_cutoff=min_score, dtype=np.uint8, workers=-1)
            best = scores.argmax(axis=1)
            q_best[rows], q_score[rows] = c_ok[best], scores[np.arange(len(rows)), best]
            col = scores.argmax(axis=0)
            col_score = scores[col, np.arange(len(c_ok))]
            better = col_score > c_score[c_ok]
            c_best[c_ok[better]], c_score[c_ok[better]] = rows[col[better]], col_score[better]
    q_best[q_score == 0], c_best[c_score == 0] = -1, -1
    return Nearest(q_best, q_score, c_best, c_score)
