"""Words for people, codes for machines: the Import Issues reason and the Change Log field show
bilingual words on the sheet; reading, the CSV export and --json give codes; an older master that
holds codes reads the same, and a file synced again logs nothing twice."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import python_calamine

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.cli import main
from gendan_xl.model.issues import Reason
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.model.words import field_word, reason_word

LOGS = ((schema.IMPORT_ISSUES, "reason"), (schema.CHANGE_LOG, "field"))


def column(path, spec: schema.Table, name: str) -> list:
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(spec.sheet).to_python()
    at = spec.names.index(name)
    return [row[at] for row in rows[1:] if any(v != "" for v in row)]


def test_the_logs_show_words_and_the_export_and_json_give_codes(demo_dir, demo_master, tmp_path, capsys):
    files = [str(p) for p in sorted((demo_dir / "suppliers").iterdir())]
    assert main(["sync", str(demo_master), *files, "--as-of", AS_OF.isoformat(), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    codes = {i["reason"] for i in out["issue_rows"]}
    assert codes and codes <= {r.value for r in Reason}
    labels = {r.words for r in Reason}
    reasons = column(demo_master, schema.IMPORT_ISSUES, "reason")
    assert reasons and set(reasons) <= labels and {reason_word(c) for c in codes} <= set(reasons)
    fields = column(demo_master, schema.CHANGE_LOG, "field")
    assert fields and set(fields) <= {f.header for f in schema.ORDERS.fields}
    assert "预计完成 ETA" in fields
    for spec, name in LOGS:
        csv = tmp_path / f"{spec.key}.csv"
        assert main(["export", str(demo_master), "--table", spec.key, "--out", str(csv)]) == 0
        exported = set(pd.read_csv(csv, dtype=str)[name])
        valid = {r.value for r in Reason} if spec is schema.IMPORT_ISSUES else set(schema.ORDERS.names)
        assert exported and exported <= valid, spec.key
        assert set(MasterWorkbook(demo_master).read(spec).frame[name]) == exported


def older_logs(path) -> None:
    """The logs as an older gendan wrote them: codes in the cells, the reason headed 原因代码 Reason."""
    wb = openpyxl.load_workbook(path)
    codes = {reason_word(r.value): r.value for r in Reason} | {field_word(n): n for n in schema.ORDERS.names}
    for spec, name in LOGS:
        ws = wb[spec.sheet]
        at = spec.names.index(name) + 1
        for (cell,) in ws.iter_rows(min_row=2, min_col=at, max_col=at):
            cell.value = codes.get(cell.value, cell.value)
        if spec is schema.IMPORT_ISSUES:
            ws.cell(1, at).value = "原因代码 Reason"
            ws.tables[spec.name].tableColumns[at - 1].name = "原因代码 Reason"
    wb.save(path)


def test_an_older_master_holding_codes_reads_the_same_and_a_second_sync_logs_nothing(demo_dir, demo_master):
    files = sorted((demo_dir / "suppliers").iterdir())
    first = actions.sync(demo_master, files, as_of=AS_OF)
    assert first.change_log_rows and first.import_issue_rows
    before = {spec.key: MasterWorkbook(demo_master).read(spec).frame for spec, _ in LOGS}
    older_logs(demo_master)
    assert set(column(demo_master, schema.IMPORT_ISSUES, "reason")) <= {r.value for r in Reason}
    for spec, _ in LOGS:
        pd.testing.assert_frame_equal(MasterWorkbook(demo_master).read(spec).frame, before[spec.key])
    again = actions.sync(demo_master, files, as_of=AS_OF)
    assert (again.change_log_rows, again.import_issue_rows) == (0, 0)
