"""The season generator of benchmarks/ta_season.py: its invariants, and the replay
through the product's rules on a small season."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from ta_season import LEADS, generate, measure, state  # noqa: E402


def test_plans_count_back_the_leads_in_the_cn_calendar():
    season = generate(300, seed=5)
    cal = season.book.calendars["CN"]
    due = season.date(season.due)
    for k, lead in enumerate(LEADS):
        assert (cal.count(season.date(season.plan[:, k]), due) == lead).all()
    assert (season.orders["due_date"].to_numpy().astype("datetime64[D]") == due).all()


def test_milestones_follow_their_plans_and_delays_propagate():
    season = generate(300, seed=5)
    gaps = LEADS[:-1] - LEADS[1:]
    assert (season.actual >= season.plan).all()                       # never before its plan
    assert (np.diff(season.actual, axis=1) >= 0).all()                  # in template order
    # a milestone late by x starts the next no earlier than x - a third of the gap behind its plan
    behind = season.actual[:, :-1] - season.plan[:, :-1]
    assert (season.actual[:, 1:] - season.plan[:, 1:] >= behind - gaps // 3).all()
    assert season.late.any() and not season.late.all()
    assert (season.late == (season.actual[:, -1] > season.due)).all()
    assert (season.reveal <= season.actual[:, -1]).all() and (season.actual[:, -1] - season.reveal <= 8).all()


def test_same_seed_same_season():
    a, b = generate(50, seed=9), generate(50, seed=9)
    assert (a.actual == b.actual).all() and (a.reveal == b.reveal).all()
    assert not (generate(50, seed=10).actual == a.actual).all()


def test_state_shows_only_what_has_happened():
    season = generate(40, seed=3)
    day = int(np.median(season.actual[:, 2]))
    orders, rows = state(season, day)
    known = rows["actual_date"].notna().to_numpy().reshape(season.actual.shape)
    assert (known == (season.actual <= day)).all()
    revealed = day >= season.reveal
    eta = orders["eta"].to_numpy().astype("datetime64[D]")
    assert (eta[~revealed] == season.date(season.due[~revealed])).all()
    assert orders["ship_date"].notna().to_numpy().sum() == (season.actual[:, -1] <= day).sum()


def test_replay_warns_late_lines_no_later_than_the_eta():
    season = generate(60, seed=4)
    result = measure(season)
    late = season.late
    assert result["late"] == late.sum() > 0
    # every late line is warned (at the latest when it becomes LATE), never after its ETA warning
    assert (result["first_milestone"][late] <= result["first_eta"][late]).all()
    assert (result["first_eta"][late] <= season.due[late] + 1).all()
    assert 0 <= result["false_alarm_share"] <= 1
