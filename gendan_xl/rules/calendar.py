"""Working-day calendars: a weekmask plus holidays plus makeup working days (调休上班).

``WorkCalendar`` does vectorised working-day arithmetic on ``datetime64[D]`` arrays (numpy busday
functions, extended with makeup days). ``seed_rows`` builds Calendar-sheet rows from the
``chinese_calendar`` and ``holidays`` libraries; ``CalendarBook`` holds one calendar per country,
built from the Calendar sheet with library data filling what the sheet does not cover.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import chinese_calendar
import holidays
import numpy as np
import pandas as pd

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.schema import CALENDAR, COUNTRIES, HOLIDAY, MAKEUP_WORKDAY
from gendan_xl.model.values import blank_mask

DEFAULT_WEEKMASK = "1111100"  # Mon..Sun, 1 = working day
WEEKMASKS = {
    "CN": "1111100",
    "VN": "1111100",
    "BD": "1111001",  # weekend Friday + Saturday
    "IN": "1111100",
    "KH": "1111100",
    "TR": "1111100",
    "US": "1111100",
    "DE": "1111100",
}
PROVISIONAL = "暂定 provisional"  # marks the Source of rows computed without an official schedule
DEFAULT_COUNTRY = "CN"

_EPOCH = np.datetime64("2000-01-01", "D")  # origin of working-day ranks (any date works)
_NAT = np.datetime64("NaT", "D")
_NO_DAYS = np.array([], dtype="datetime64[D]")


def as_days(values) -> np.ndarray:
    """Dates (scalar, list, array, Series; date objects, strings, datetime64) as ``datetime64[D]``.

    Missing or unreadable values become NaT; the shape of the input is kept (a scalar gives a
    0-d array).
    """
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.to_numpy()
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        arr = np.asarray(pd.to_datetime(arr.ravel(), errors="coerce")).reshape(arr.shape)
    return arr.astype("datetime64[D]")


def years_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of each ``datetime64[D]`` value (meaningless for NaT)."""
    return days.astype("datetime64[Y]").astype(np.int64) + 1970


class WorkCalendar:
    """A country's working days: weekmask, holidays (weekdays off) and makeup days (weekends worked).

    A makeup day that is already a working day under weekmask and holidays is ignored; a date that is
    both a holiday and a makeup day is a working day. ``provisional_years`` are years whose holidays
    were computed without an official schedule. NaT in gives NaN/NaT (``is_workday``: False) out.
    """

    def __init__(self, country: str = DEFAULT_COUNTRY, weekmask: str | None = None,
                 holidays: Iterable = (), makeup_days: Iterable = (),
                 provisional_years: Iterable[int] = ()):
        self.country = country
        self.weekmask = weekmask or WEEKMASKS.get(country, DEFAULT_WEEKMASK)
        self.holidays = _clean_days(holidays)
        self._cal = np.busdaycalendar(weekmask=self.weekmask, holidays=self.holidays)
        makeup = _clean_days(makeup_days)
        self.makeup_days = makeup[~np.is_busday(makeup, busdaycal=self._cal)]
        self.provisional_years = frozenset(int(y) for y in provisional_years)
        years = np.array(sorted(self.provisional_years), dtype=np.int64)
        self._provisional_starts = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        self._provisional_ends = (years - 1969).astype("datetime64[Y]").astype("datetime64[D]")
        self._makeup_ranks = self._rank(self.makeup_days)

    def __repr__(self) -> str:
        return (f"WorkCalendar({self.country!r}, weekmask={self.weekmask!r}, "
                f"{len(self.holidays)} holidays, {len(self.makeup_days)} makeup days, "
                f"provisional={sorted(self.provisional_years)})")

    def count(self, start, end):
        """Working days in [start, end) when start <= end, minus those in [end, start) otherwise.

        This is ``numpy.busday_count`` with makeup days counted as working days, except for
        end < start, where numpy counts (end, start]: this count is antisymmetric
        (count(a, b) == -count(b, a)) and additive (count(a, b) + count(b, c) == count(a, c)).
        Returns floats, NaN where either date is NaT.
        """
        a, b = as_days(start), as_days(end)
        bad = np.isnat(a) | np.isnat(b)
        n = self._count(np.where(bad, _EPOCH, a), np.where(bad, _EPOCH, b))
        return np.where(bad, np.nan, n)[()]

    def add(self, dates, n):
        """The date ``n`` working days after (n > 0) or before (n < 0) each date.

        A date that is not a working day is first rolled forward to the next working day, then
        moved n working days (numpy ``busday_offset(roll='forward')``); so n = 0 gives the date
        itself on a working day, else the next working day. This makes
        ``count(d, add(d, n)) == n`` for every date d. Unlike Excel's WORKDAY, a Saturday plus one
        working day is Tuesday, not Monday. ``n`` is truncated to whole days; NaT or NaN gives NaT.
        """
        d = as_days(dates)
        k = np.asarray(n, dtype=float)
        bad = np.isnat(d) | np.isnan(k)
        start = self._roll_forward(np.where(bad, _EPOCH, d))
        k = np.trunc(np.where(bad, 0, k)).astype(np.int64)
        target = self._rank(start) + k
        # The working day ranked ``target``: a makeup day, or the weekmask/holiday working day
        # reached by moving k working days minus the makeup days passed on the way.
        j = np.searchsorted(self._makeup_ranks, target, side="left")  # makeup days ranked below
        out = np.busday_offset(start, k - j + self._makeup_before(start), roll="forward", busdaycal=self._cal)
        if len(self.makeup_days):
            i = np.minimum(j, len(self.makeup_days) - 1)
            out = np.where(self._makeup_ranks[i] == target, self.makeup_days[i], out)
        return np.where(bad, _NAT, out)[()]

    def is_workday(self, dates):
        """True where the date is a working day (False for NaT)."""
        d = as_days(dates)
        bad = np.isnat(d)
        d = np.where(bad, _EPOCH, d)
        return (~bad & (np.is_busday(d, busdaycal=self._cal) | self._is_makeup(d)))[()]

    def is_provisional(self, dates):
        """True where the date falls in a provisional year (False for NaT)."""
        d = as_days(dates)
        if not len(self._provisional_starts):
            return np.zeros(d.shape, dtype=bool)[()]
        i = np.maximum(np.searchsorted(self._provisional_starts, d, side="right") - 1, 0)
        return ((d >= self._provisional_starts[i]) & (d < self._provisional_ends[i]))[()]

    def _count(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        n = np.busday_count(lo, hi, busdaycal=self._cal) + self._makeup_before(hi) - self._makeup_before(lo)
        return np.where(a <= b, n, -n)

    def _makeup_before(self, d: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.makeup_days, d, side="left")

    def _is_makeup(self, d: np.ndarray) -> np.ndarray:
        if not len(self.makeup_days):
            return np.zeros(np.shape(d), dtype=bool)
        i = np.minimum(self._makeup_before(d), len(self.makeup_days) - 1)
        return self.makeup_days[i] == d

    def _rank(self, d: np.ndarray) -> np.ndarray:
        """Working-day rank: count(_EPOCH, d), so count(a, b) == rank(b) - rank(a)."""
        return self._count(_EPOCH, d)

    def _roll_forward(self, d: np.ndarray) -> np.ndarray:
        """The first working day on or after each date."""
        base = np.busday_offset(d, 0, roll="forward", busdaycal=self._cal)
        if not len(self.makeup_days):
            return base
        i = self._makeup_before(d)
        nxt = self.makeup_days[np.minimum(i, len(self.makeup_days) - 1)]
        return np.where((i < len(self.makeup_days)) & (nxt < base), nxt, base)


def _clean_days(values) -> np.ndarray:
    """Sorted unique non-NaT days."""
    days = as_days(values if isinstance(values, (np.ndarray, pd.Series)) else list(values)).ravel()
    return np.unique(days[~np.isnat(days)])


# ---- library seed data -------------------------------------------------------------------

_CC_YEARS = frozenset(d.year for d in chinese_calendar.constants.holidays)
_CC_SOURCE = f"chinese_calendar {chinese_calendar.__version__}"
_HOLIDAYS_SOURCE = f"holidays {holidays.__version__}"


def seed_rows(countries: Iterable[str] = COUNTRIES, years: Iterable[int] = ()) -> pd.DataFrame:
    """Calendar-sheet rows (country, date, kind, name, source) from the libraries.

    Holidays are listed only on weekdays (per the country's weekmask), makeup days only on weekend
    days. CN uses ``chinese_calendar`` for the years it knows and ``holidays`` (with its
    ``weekend_workdays``) beyond; a CN year without official makeup days gets ``PROVISIONAL`` in
    its source. Other countries come from ``holidays`` (rule-based, official).
    """
    years = sorted({int(y) for y in years})
    rows = [row for c in countries for row in _library_rows(c, years)]
    frame = pd.DataFrame(rows, columns=CALENDAR.names)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.sort_values(["country", "date"], ignore_index=True)


def _library_rows(country: str, years: list[int]) -> list[tuple]:
    weekmask = WEEKMASKS.get(country, DEFAULT_WEEKMASK)
    rows = []
    lib_years = years
    if country == "CN":
        cc_years = [y for y in years if y in _CC_YEARS]
        lib_years = [y for y in years if y not in _CC_YEARS]
        consts = chinese_calendar.constants
        rows += _rows(country, weekmask, consts.holidays.items(), consts.workdays.items(),
                      set(cc_years), lambda y: _CC_SOURCE)
    if not lib_years:
        return rows
    lib = holidays.country_holidays(country, years=lib_years)
    workdays = [(d, "调休上班 makeup workday") for d in getattr(lib, "weekend_workdays", ())]
    official = {d.year for d, _ in workdays} if country == "CN" else set(lib_years)
    rows += _rows(country, weekmask, lib.items(), workdays, set(lib_years),
                  lambda y: _HOLIDAYS_SOURCE if y in official else f"{_HOLIDAYS_SOURCE} {PROVISIONAL}")
    return rows


def _rows(country, weekmask, days_off, days_worked, years, source) -> list[tuple]:
    rows = []
    for items, kind, on_weekday in ((days_off, HOLIDAY, True), (days_worked, MAKEUP_WORKDAY, False)):
        items = [(d, name) for d, name in items if d.year in years]
        if not items:
            continue
        weekday = np.is_busday(np.array([d for d, _ in items], dtype="datetime64[D]"), weekmask=weekmask)
        rows += [(country, d, kind, str(name), source(d.year))
                 for (d, name), wd in zip(items, weekday) if wd == on_weekday]
    return rows


# ---- the book of calendars ---------------------------------------------------------------

class CalendarBook:
    """One ``WorkCalendar`` per country; unknown or blank countries use the default (CN)."""

    def __init__(self, calendars: dict[str, WorkCalendar], default: str = DEFAULT_COUNTRY):
        self.calendars = dict(calendars)
        self.default = default
        if default not in self.calendars:
            self.calendars[default] = WorkCalendar(default)

    @property
    def countries(self) -> list[str]:
        return sorted(self.calendars)

    @classmethod
    def from_rows(cls, rows: pd.DataFrame | None, years: Iterable[int],
                  default: str = DEFAULT_COUNTRY) -> CalendarBook:
        """Build from a Calendar-sheet frame (columns country, date, kind, name, source).

        The sheet wins: for every (country, year) that has sheet rows, those rows are the calendar;
        library data (``seed_rows``) fills the countries and ``years`` the sheet does not cover.
        A (country, year) is provisional when all its rows have ``PROVISIONAL`` in their source.
        """
        sheet = _sheet_rows(rows)
        covered = set(zip(sheet["country"], years_of(sheet["date"].to_numpy())))
        lib = seed_rows(COUNTRIES, years)
        lib_keys = zip(lib["country"], years_of(as_days(lib["date"])))
        lib = lib[[key not in covered for key in lib_keys]]
        lib = lib.assign(date=as_days(lib["date"]))
        both = pd.concat([sheet, lib], ignore_index=True)
        both["year"] = years_of(both["date"].to_numpy())
        both["provisional"] = both["source"].fillna("").astype(str).str.contains(PROVISIONAL, regex=False)
        calendars = {}
        for country in sorted(set(COUNTRIES) | set(sheet["country"])):
            mine = both[both["country"] == country]
            prov = mine.groupby("year")["provisional"].all()
            calendars[country] = WorkCalendar(
                country,
                holidays=mine.loc[mine["kind"] == HOLIDAY, "date"].to_numpy(),
                makeup_days=mine.loc[mine["kind"] == MAKEUP_WORKDAY, "date"].to_numpy(),
                provisional_years=prov.index[prov.to_numpy()],
            )
        return cls(calendars, default)

    def resolve(self, countries):
        """The country code whose calendar is used: the code itself (upper-cased, stripped) when the
        book has it, else the default. Works on a scalar or array-like."""
        codes, uniques = pd.factorize(np.ravel(np.asarray(countries, dtype=object)), use_na_sentinel=False)
        names = np.array([str(c).strip().upper() if isinstance(c, str) else "" for c in uniques], dtype=object)
        used = np.where(np.isin(names, self.countries), names, self.default)
        return used[codes].reshape(np.shape(countries))[()]

    def each_calendar(self, countries, op: Callable[[WorkCalendar, np.ndarray], None]
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Call ``op(calendar, rows)`` once per calendar the ``countries`` use (an array-like of one
        country per row; ``rows``: the boolean mask of the rows in that calendar), so a vectorised
        computation runs every row in its own country's calendar. Returns each row's number into
        the distinct countries, the distinct countries, and the code of each one's calendar."""
        place, asked = pd.factorize(np.ravel(np.asarray(countries, dtype=object)), use_na_sentinel=False)
        used = np.atleast_1d(self.resolve(asked)).astype(object)
        for code in pd.unique(used):
            op(self.calendars[code], np.isin(place, np.flatnonzero(used == code)))
        return place, asked, used

    def count_each(self, countries, start, end) -> np.ndarray:
        """``WorkCalendar.count(start, end)`` of every row in its own country's calendar (NaN where a
        date is missing); ``countries``, ``start`` and ``end`` are aligned arrays or Series."""
        a, b = as_days(start), as_days(end)
        out = np.full(len(a), np.nan)

        def count(calendar: WorkCalendar, rows: np.ndarray) -> None:
            out[rows] = calendar.count(a[rows], b[rows])
        self.each_calendar(np.asarray(countries, dtype=object).reshape(len(a)), count)
        return out

    def get(self, country) -> WorkCalendar:
        """The calendar for a country (the default calendar for an unknown or blank one)."""
        return self.calendars[self.resolve(country)]

    def provisional(self, country, dates):
        """True where a date falls in a provisional year of the country's calendar."""
        return self.get(country).is_provisional(dates)


def _sheet_rows(rows: pd.DataFrame | None) -> pd.DataFrame:
    """Validated Calendar-sheet rows: country upper-cased, date as datetime64[D], kind a schema kind.

    ``rows`` is indexed by Excel row, as ``Workbook.read`` gives it. Fully blank rows are skipped; a
    row without a readable country, date or kind raises GendanError naming that Excel row.
    """
    if rows is None or rows.empty:
        return pd.DataFrame({"country": pd.Series(dtype=object), "date": _NO_DAYS,
                             "kind": pd.Series(dtype=object), "name": pd.Series(dtype=object),
                             "source": pd.Series(dtype=object)})
    frame = rows.reindex(columns=CALENDAR.names)
    text = frame.astype(object).where(frame.notna(), "").astype(str).apply(lambda col: col.str.strip())
    frame = frame[~frame.apply(blank_mask).all(axis=1)]
    text = text.loc[frame.index]
    country = text["country"].str.upper()
    date = as_days(frame["date"].to_numpy(dtype=object))
    kind = text["kind"].map(_kind)
    for column, bad in (("country", country == ""), ("date", np.isnat(date)), ("kind", kind.isna())):
        if bad.any():
            i = int(np.flatnonzero(np.asarray(bad))[0])
            expected = {"country": "a country code such as CN",
                        "date": "a date",
                        "kind": f"{HOLIDAY!r} or {MAKEUP_WORKDAY!r}"}[column]
            raise GendanError("日历行无效 invalid calendar row", sheet=CALENDAR.sheet,
                              row=int(frame.index[i]), column=CALENDAR.field(column).header,
                              value=frame[column].iloc[i], expected=expected,
                              code=ErrorCode.BAD_DATE if column == "date" else ErrorCode.BAD_VALUE)
    return pd.DataFrame({"country": country.to_numpy(dtype=object), "date": date,
                         "kind": kind.to_numpy(dtype=object), "name": text["name"].to_numpy(dtype=object),
                         "source": text["source"].to_numpy(dtype=object)})


def _kind(value: str) -> str | None:
    """HOLIDAY or MAKEUP_WORKDAY from a Kind cell: the full label or either half of it."""
    tokens = set(value.upper().split())
    for kind in (HOLIDAY, MAKEUP_WORKDAY):
        if tokens & set(kind.upper().split()):
            return kind
    return None
