"""Reads a partner's return workbook with openpyxl, as a spreadsheet client would, and prints
what the test needs as JSON: sheets and which is active, the header row, protection, which
cells are unlocked, the status drop-down, freeze, print set-up, headers, the hidden sheet's
state and values (each row's ten cells as made), and the checksum recomputed over the hidden sheet's values (FNV-1a, as the
format describes: an independent oracle of the writer's own).
"""
import json
import sys

import openpyxl


def fnv(values):
    h = 0xCBF29CE484222325
    for v in values:
        for b in v.encode("utf-8") + b"\x1f":
            h ^= b
            h = (h * 0x100000001B3) % (1 << 64)
    return f"{h:016x}"


wb = openpyxl.load_workbook(sys.argv[1])
ret = wb["Return"]
header_row = next(r for r in range(1, 20) if ret.cell(r, 1).value == "Ref")
rows = []
for r in range(header_row + 1, ret.max_row + 1):
    if ret.cell(r, 1).value is None:
        continue
    rows.append({
        "values": [ret.cell(r, c).value for c in range(1, 11)],
        "unlocked": [c for c in range(1, 11) if not ret.cell(r, c).protection.locked],
    })
trust = wb["ccsp"]
pairs = {trust.cell(r, 1).value: trust.cell(r, 2).value for r in range(1, 10)}
trusted_rows = [[trust.cell(r, c).value or "" for c in range(1, 11)] for r in range(12, 12 + int(pairs["rows"]))]
values = [pairs["format"], pairs["version"], pairs["store"], pairs["plan"], pairs["quarter"], pairs["partner"], pairs["made"]]
for tr in trusted_rows:
    values.extend(tr)
dv = [{"type": d.type, "list": d.formula1, "range": str(d.sqref), "title": d.promptTitle, "prompt": d.prompt} for d in ret.data_validations.dataValidation]
print(json.dumps({
    "sheets": wb.sheetnames,
    "active": wb.active.title,
    "header_row": header_row,
    "header": [ret.cell(header_row, c).value for c in range(1, 11)],
    "title_block": [ret.cell(r, 1).value for r in range(1, header_row)],
    "protected": [wb[s].protection.sheet for s in wb.sheetnames],
    "rows": rows,
    "validations": dv,
    "freeze": ret.freeze_panes,
    "orientation": ret.page_setup.orientation,
    "paper": ret.page_setup.paperSize,
    "repeat": ret.print_title_rows,
    "headers": [wb[s].oddHeader.left.text for s in wb.sheetnames],
    "hidden": trust.sheet_state,
    "trust": pairs,
    "checksum": fnv([str(v).replace("\r\n", "\n").strip() for v in values]),
    "trusted_rows": trusted_rows,
}))
