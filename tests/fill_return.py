"""Fills a partner's return workbook as a partner would, with openpyxl (a real spreadsheet
client), and saves it: `fill_return.py IN OUT EDITS_JSON`.

EDITS_JSON maps a ref to the cells to set, by column header: {"1.1.1": {"Status this
quarter": "red", "Commentary": "..."}}. Special keys, for the bad-input tests:
- "__formula__": {"ref": ..., "column": ..., "formula": "=1+1"} writes a formula;
- "__date__": {"ref": ..., "column": ...} writes a date cell;
- "__duplicate__": ref copies that row's cells to a new row at the end;
- "__reverse__": true re-orders the rows (last first);
- "__delete__": ref deletes that row;
- "__unprotect__": true removes the sheet's protection;
- "__drop_sheet__": name removes a sheet;
- "__trust__": {"B5": "2026-27-Q1"} writes cells of the hidden sheet.
Cells are found through the header names, as the importer finds them.
"""
import datetime
import json
import sys

import openpyxl

src, dst, edits = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
wb = openpyxl.load_workbook(src)
ws = wb["Return"]
header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Ref")
col = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value}


def row_of(ref):
    return next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, col["Ref"]).value == ref)


for ref, cells in edits.items():
    if ref.startswith("__"):
        continue
    r = row_of(ref)
    for name, value in cells.items():
        ws.cell(r, col[name]).value = value
if "__formula__" in edits:
    f = edits["__formula__"]
    ws.cell(row_of(f["ref"]), col[f["column"]]).value = f["formula"]
if "__date__" in edits:
    d = edits["__date__"]
    ws.cell(row_of(d["ref"]), col[d["column"]]).value = datetime.date(2026, 10, 1)
if "__duplicate__" in edits:
    r = row_of(edits["__duplicate__"])
    new = ws.max_row + 1
    for c in range(1, ws.max_column + 1):
        ws.cell(new, c).value = ws.cell(r, c).value
if "__reverse__" in edits:
    rows = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(header + 1, ws.max_row + 1)]
    for i, values in enumerate(reversed(rows)):
        for c, v in enumerate(values, start=1):
            ws.cell(header + 1 + i, c).value = v
if "__delete__" in edits:
    ws.delete_rows(row_of(edits["__delete__"]))
if edits.get("__unprotect__"):
    ws.protection.sheet = False
if "__drop_sheet__" in edits:
    del wb[edits["__drop_sheet__"]]
for cell, value in edits.get("__trust__", {}).items():
    wb["ccsp"][cell].value = value
wb.save(dst)
