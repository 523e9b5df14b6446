"""Greedy 1-D nearest-neighbour matching on a sorted score (the matched comparison's step 3):
without replacement (a "next available" union-find either side), with replacement, and MatchIt
4.5.1's own walk (`_match_like_matchit`). Pure functions on arrays; indices into the given
(sorted) controls."""

from __future__ import annotations

import math

import numpy as np


def _find(parent: list[int], node: int) -> int:
    root = node
    while parent[root] != root:
        root = parent[root]
    while parent[node] != root:
        parent[node], node = root, parent[node]
    return root


def _match_without_replacement(
    treated_logit: np.ndarray, control_logit: np.ndarray, *, width: float, ratio: int
) -> list[tuple[int, int]]:
    """(treated index, sorted-control index) pairs; controls given sorted ascending."""
    m = control_logit.size
    # right[i]: the smallest available sorted index >= i (m: none). left is shifted by one:
    # left[i + 1] leads to the largest available index <= i, plus one (0: none).
    right = list(range(m + 1))
    left = list(range(m + 1))
    order = np.argsort(-treated_logit, kind="stable").tolist()
    positions = np.searchsorted(control_logit, treated_logit, side="left").tolist()
    xs = treated_logit.tolist()
    cs = control_logit.tolist()
    block = np.searchsorted(control_logit, control_logit, side="left").tolist()
    pairs: list[tuple[int, int]] = []
    active = order
    for _ in range(ratio):
        still: list[int] = []
        for t in active:
            x = xs[t]
            p = positions[t]
            r = _find(right, p)
            lo = _find(left, p) - 1
            best = -1
            best_distance = math.inf
            if lo >= 0:
                # Of equal scores below, the first available in order (MatchIt's tie rule).
                lo = _find(right, block[lo])
                best, best_distance = lo, x - cs[lo]
            if r < m and cs[r] - x < best_distance:
                best, best_distance = r, cs[r] - x
            if best < 0 or best_distance > width:
                continue
            pairs.append((t, best))
            right[best] = best + 1
            left[best + 1] = best
            still.append(t)
        active = still
        if not active:
            break
    return pairs


def _match_like_matchit(
    treated_score: np.ndarray,
    control_score: np.ndarray,
    treated_rows: np.ndarray,
    control_rows: np.ndarray,
) -> list[tuple[int, int]]:
    """MatchIt 4.5.1's 1:1 nearest-neighbour walk on a distance vector (`nn_matchC_vec`).

    Everyone is sorted by distance (ties in the order of the data: `control_rows` are the
    controls' rows, sorted so). The treated go from the largest distance down; for each, the
    nearest available control below and above it in that order are compared by the whole part
    of their distances (MatchIt 4.5.1 compares them with C's integer `abs`), the one below kept
    when they compare equal. On the propensity scale every distance is under 1, so the control
    just below is taken whenever there is one: not always the nearest, but what an analyst
    checking in R gets."""
    m = control_score.size
    right = list(range(m + 1))
    left = list(range(m + 1))
    order = np.argsort(-treated_score, kind="stable").tolist()
    first = np.searchsorted(control_score, treated_score, side="left")
    last = np.searchsorted(control_score, treated_score, side="right")
    positions = [
        int(a + np.searchsorted(control_rows[a:b], row)) if b > a else int(a)
        for a, b, row in zip(first, last, treated_rows, strict=True)
    ]
    pairs: list[tuple[int, int]] = []
    for t in order:
        p = positions[t]
        r = _find(right, p)
        lo = _find(left, p) - 1
        x = float(treated_score[t])
        if lo >= 0 and r < m:
            below, above = math.trunc(x - control_score[lo]), math.trunc(control_score[r] - x)
            best = lo if below <= above else r
        elif lo >= 0:
            best = lo
        elif r < m:
            best = r
        else:
            continue
        pairs.append((t, best))
        right[best] = best + 1
        left[best + 1] = best
    return pairs


def _match_with_replacement(
    treated_logit: np.ndarray, control_logit: np.ndarray, *, width: float, ratio: int
) -> list[tuple[int, int]]:
    m = control_logit.size
    positions = np.searchsorted(control_logit, treated_logit, side="left")
    offsets = np.arange(-ratio, ratio)
    candidates = positions[:, None] + offsets[None, :]
    valid = (candidates >= 0) & (candidates < m)
    clipped = np.clip(candidates, 0, m - 1)
    distance = np.abs(control_logit[clipped] - treated_logit[:, None])
    distance[~valid] = np.inf
    nearest = np.argsort(distance, axis=1, kind="stable")[:, :ratio]
    chosen = np.take_along_axis(clipped, nearest, axis=1)
    chosen_distance = np.take_along_axis(distance, nearest, axis=1)
    treated_index, column = np.nonzero(chosen_distance <= width)
    return list(zip(treated_index.tolist(), chosen[treated_index, column].tolist(), strict=True))
