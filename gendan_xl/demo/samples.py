"""The demo's season of samples (样品 Samples rows), dated around the as-of date from the planned
milestones: lab dips and PP samples approved on the day their milestone was done (one of each
rejected first and approved in round 2), a PP sample rejected last week and sent again, one not sent
by its due date, one with the customer for more than ``sample_reply_wd`` working days without an
answer, one on its way, a fit and a size set, and salesman samples without a PO — sent by DHL, SF 顺丰
and FedEx, tracking numbers with leading zeros, charges prepaid, collect or on the buyer's account.

The season is recorded as earlier refreshes left it: each approved milestone carries the mark of the
round that closed it and each rejection its next round, so the demo's refresh changes nothing and
logs nothing (the demo is reproducible: a Change Log row would carry the clock's time).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from gendan_xl.model.samples import SampleKind, SampleStatus
from gendan_xl.reporting.history import line_keys
from gendan_xl.samples.approvals import sample_mark

LAB_DIP, PP = "LAB_DIP_APPROVED", "PP_SAMPLE_APPROVED"   # the milestones the seeded template closes by sample
GARMENTS = ("Huamei", "Saigon", "Dhaka", "Hengda", "Hanoi")   # suppliers that sew or dye: they send samples
# courier, tracking number (leading zeros kept as text), charge, currency, terms
COURIERS = {
    "DHL": ("DHL", "00{:08d}", 42.5, "USD", "寄付 prepaid"),
    "SF": ("SF 顺丰", "000{:09d}", 23.0, "CNY", "寄付 prepaid"),
    "FEDEX": ("FedEx", "00{:010d}", None, None, "客户账号 buyer's account"),
    "FEDEX_COLLECT": ("FedEx", "00{:010d}", 58.0, "USD", "到付 collect"),
}
SHADE = "颜色偏深，请按色卡重做 shade too dark, redo to the standard"
FIT_NOTE = "袖长加长 1 cm lengthen the sleeve 1 cm"


def sample_rows(milestones: pd.DataFrame, lines: pd.DataFrame, as_of: dt.date) -> tuple[pd.DataFrame, pd.Series]:
    """The Samples rows of the season, and the Source mark of each milestone an approval closed (by
    Milestones row label; its actual date is the approval's date already)."""
    day = pd.Timestamp(as_of)
    stages = _stages(milestones, lines, day)
    rows: list[dict] = []
    marks: dict = {}
    used: set = set()
    number = iter(range(1, 1000))

    def pick(code: str, done: bool, after: pd.Timestamp | None = None) -> pd.Series | None:
        """The first line of a PO not used yet whose ``code`` milestone is done (``done``) or not."""
        found = stages[(stages["code"] == code) & (stages["actual"].notna() == done)
                       & ~stages["po_no"].isin(used)]
        if after is not None:
            found = found[found["plan"] >= after] if not done else found[found["actual"] <= after]
        if found.empty:
            return None
        line = found.iloc[0]
        used.add(line["po_no"])
        return line

    def add(line, kind: SampleKind, rounds: list[dict], courier: str = "DHL") -> str:
        """Rows for ``rounds`` of a new sample of ``line``; returns its sample number."""
        no = f"S-{as_of.year % 100:02d}{next(number):03d}"
        name, awb, charge, currency, terms = COURIERS[courier]
        base = {"sample_no": no, "kind": kind.label, "customer": line["customer"], "supplier": line["supplier"],
                "po_no": line.get("po_no"), "line": line.get("line"), "style": line["style"], "color": line["color"],
                "size": "M", "qty": 2 if kind is not SampleKind.SMS else 12}
        for k, extra in enumerate(rounds, start=1):
            sent = extra.get("sent_date")
            shipped = {"courier": name, "awb": awb.format((len(rows) + 1) * 48_271_021 % 10**8), "charge": charge,
                       "charge_currency": currency, "charge_terms": terms} if sent is not None else {}
            rows.append({**base, "round": k, **shipped, **extra})
        return no

    for kind, code in ((SampleKind.LAB_DIP, LAB_DIP), (SampleKind.PP, PP)):
        # approved in round 1 on the day the milestone was done
        line = pick(code, True, day - pd.Timedelta(days=10))
        if line is not None:
            done = line["actual"]
            marks[line["row"]] = sample_mark(add(line, kind, [_answered(done, SampleStatus.APPROVED,
                                                                          sent=done - pd.Timedelta(days=7))]), 1)
        # rejected, sent again and approved in round 2
        line = pick(code, True, day - pd.Timedelta(days=10))
        if line is not None:
            done = line["actual"]
            rejected = done - pd.Timedelta(days=12)
            no = add(line, kind, [_answered(rejected, SampleStatus.REJECTED, sent=done - pd.Timedelta(days=20),
                                            comments=SHADE),
                                  _answered(done, SampleStatus.APPROVED, sent=rejected + pd.Timedelta(days=4),
                                            due=rejected + pd.Timedelta(days=7), comments="OK, 可以开裁 go ahead")],
                     courier="SF")
            marks[line["row"]] = sample_mark(no, 2)
    # a PP sample rejected last week, its next round on its way
    line = pick(PP, False, day)
    if line is not None:
        rejected = day - pd.Timedelta(days=9)
        add(line, SampleKind.PP, [_answered(rejected, SampleStatus.REJECTED, sent=day - pd.Timedelta(days=18),
                                            comments=SHADE),
                                  {"due": rejected + pd.Timedelta(days=7), "sent_date": day - pd.Timedelta(days=2),
                                   "status": SampleStatus.SENT.label}], courier="SF")
    # a PP sample not sent by its due date
    line = pick(PP, False, day)
    if line is not None:
        add(line, SampleKind.PP, [{"due": day - pd.Timedelta(days=4), "status": SampleStatus.PENDING.label}])
    # a PP sample with the customer since 13 days, no answer
    line = pick(PP, False, day)
    if line is not None:
        add(line, SampleKind.PP, [{"due": day - pd.Timedelta(days=20), "sent_date": day - pd.Timedelta(days=17),
                                   "received_date": day - pd.Timedelta(days=13),
                                   "status": SampleStatus.RECEIVED.label}], courier="FEDEX")
    # a lab dip (else a PP sample) on its way
    line = pick(LAB_DIP, False) if (stages["code"] == LAB_DIP).any() else None
    line = line if line is not None else pick(PP, False)
    if line is not None:
        kind = SampleKind.LAB_DIP if line["code"] == LAB_DIP else SampleKind.PP
        add(line, kind, [{"due": day - pd.Timedelta(days=1), "sent_date": day - pd.Timedelta(days=2),
                          "status": SampleStatus.SENT.label}], courier="SF")
    # a fit sample approved with comments, and a size set to send
    line = pick(PP, False)
    if line is not None:
        add(line, SampleKind.FIT, [_answered(day - pd.Timedelta(days=30), SampleStatus.APPROVED,
                                             sent=day - pd.Timedelta(days=40), comments=FIT_NOTE)])
        add(line, SampleKind.SIZE_SET, [{"due": day + pd.Timedelta(days=9), "status": SampleStatus.PENDING.label}])
    # salesman samples of a style on order, without a PO: one sent, one to send
    line = pick(PP, False)
    if line is not None:
        free = line.drop(["po_no", "line"])
        add(free, SampleKind.SMS, [{"due": day - pd.Timedelta(days=8), "sent_date": day - pd.Timedelta(days=6),
                                    "status": SampleStatus.SENT.label}], courier="FEDEX_COLLECT")
        add(free, SampleKind.SMS, [{"due": day + pd.Timedelta(days=12), "status": SampleStatus.PENDING.label}])
    frame = pd.DataFrame(rows)
    for name in ("due", "sent_date", "received_date", "status_date"):
        frame[name] = pd.to_datetime(frame.get(name))
    return frame, pd.Series(marks, dtype=object)


def _answered(on: pd.Timestamp, status: SampleStatus, *, sent: pd.Timestamp, due: pd.Timestamp | None = None,
              comments: str | None = None) -> dict:
    """A round sent on ``sent``, received three days later and answered ``on``."""
    return {"due": due if due is not None else sent, "sent_date": sent, "received_date": sent + pd.Timedelta(days=3),
            "status": status.label, "status_date": on, "comments": comments}


def _stages(milestones: pd.DataFrame, lines: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The lab dip and PP milestone rows of the garment suppliers' lines: ``row`` (the Milestones row),
    ``code``, ``plan``, ``actual`` (done before ``day``, else NaT) and the line's customer, supplier,
    style and colour, by PO and line."""
    rows = milestones[milestones["milestone"].isin([LAB_DIP, PP])]
    orders = lines.set_index(line_keys(lines))
    found = orders.reindex(line_keys(rows))
    stages = pd.DataFrame({"row": rows.index, "code": rows["milestone"].to_numpy(),
                           "plan": pd.to_datetime(rows["plan_date"]).to_numpy(),
                           "actual": pd.to_datetime(rows["actual_date"]).to_numpy(),
                           **{name: found[name].to_numpy() for name in ("po_no", "line", "customer", "supplier",
                                                                         "style", "color")}})
    stages["actual"] = stages["actual"].where(stages["actual"] < day)
    garment = stages["supplier"].fillna("").str.contains("|".join(GARMENTS))
    return stages[garment & stages["customer"].notna()].sort_values(["po_no", "line", "code"], kind="stable")
