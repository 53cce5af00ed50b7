"""Checks a Word copy with python-docx against what the document model says it holds.

Usage: docx_checks.py FILE.docx EXPECTED.txt, where each line of EXPECTED.txt is
"H<TAB>heading text" (must be a paragraph in a built-in Heading style) or
"N<TAB>list item text" (must be a paragraph in Word numbering, its number not typed) or
"M<TAB>marking" (must be in the header of every section).
Also checks: every table's first row repeats as a header row, no row may split across a
page, the document's title, author and language are set, and a landscape section exists.
Prints each problem; exits 1 if there is any.
"""
import re
import sys

import docx
from docx.oxml.ns import qn
from docx.enum.section import WD_ORIENT

path, expected_path = sys.argv[1], sys.argv[2]
d = docx.Document(path)
problems = []

paragraphs = list(d.paragraphs)
for table in d.tables:
    for row in table.rows:
        for c in row.cells:
            paragraphs.extend(c.paragraphs)


def norm(s):
    return " ".join(s.split())


headings = {}
numbered = {}
for p in d.paragraphs:
    # Body paragraphs only: in tables, "1.1 Prevent offending" is a priority's reference.
    text = norm(p.text)
    if re.match(r"^(\d+\.)+\d*\.?\s|^\(\d+\)\s", text) and not (p.style is not None and p.style.name.startswith("Heading")):
        problems.append(f"a typed number, not Word numbering: {text[:80]!r}")
for p in paragraphs:
    text = norm(p.text)
    if p.style is not None and p.style.name.startswith("Heading"):
        headings.setdefault(text, p.style.name)
    ppr = p._p.pPr
    if ppr is not None and ppr.find(qn("w:numPr")) is not None:
        numbered[text] = numbered.get(text, 0) + 1

# The header's and footer's right-hand part (marking, "Page X of Y") sits on a right tab at
# each section's own right margin: the landscape section's is further right than portrait's.
for i, s in enumerate(d.sections):
    width = s.page_width - s.left_margin - s.right_margin
    for name, part in (("header", s.header), ("footer", s.footer)):
        for p in part.paragraphs:
            if "\t" not in p.text:
                continue
            stops = [t.position for t in p.paragraph_format.tab_stops]
            if not stops or abs(stops[-1] - width) > 635:
                problems.append(f"section {i + 1}: its {name}'s right tab is at {stops} EMU, not at the right margin ({width})")

for line in open(expected_path, encoding="utf-8").read().splitlines():
    kind, _, text = line.partition("\t")
    text = norm(text)
    if kind == "H" and text not in headings:
        problems.append(f"the heading {text!r} is not in a Heading style")
    if kind == "M":
        for i, s in enumerate(d.sections):
            header = " ".join(p.text for p in s.header.paragraphs)
            if text not in header:
                problems.append(f"section {i + 1}: the marking {text!r} is not in its header: {header!r}")
    if kind == "N":
        if numbered.get(text, 0) < 1:
            problems.append(f"the numbered item {text[:80]!r} is not in Word numbering")
        else:
            numbered[text] -= 1

for i, table in enumerate(d.tables):
    rows = table._tbl.tr_lst
    if not rows or rows[0].trPr is None or rows[0].trPr.find(qn("w:tblHeader")) is None:
        problems.append(f"table {i + 1}: its first row does not repeat as a header row")
    for j, tr in enumerate(rows):
        if tr.trPr is None or tr.trPr.find(qn("w:cantSplit")) is None:
            problems.append(f"table {i + 1}, row {j + 1}: allowed to split across pages")
            break

props = d.core_properties
if not props.title or not props.author or props.language != "en-GB":
    problems.append(f"document properties: title {props.title!r}, author {props.author!r}, language {props.language!r}")
if not any(s.orientation == WD_ORIENT.LANDSCAPE for s in d.sections):
    problems.append("no landscape section (the Plan on a Page)")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
