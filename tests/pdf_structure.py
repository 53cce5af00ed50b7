"""Prints the structure tree of each tagged PDF given, with the text each element marks.

One line per element, indented two spaces per level ("Document", "  H1", ...), and below an
element that marks content its text as one quoted line, as the page draws it (decoded
through each font's ToUnicode map); below a Figure, its text alternative (/Alt). Walks the tree with pikepdf; used by
tests/publishable.rs, which compares the text with the document model's.
"""
import re
import sys

import pikepdf


def unicode_map(font):
    """The font's ToUnicode map: code -> text."""
    to_unicode = font.get("/ToUnicode")
    found = {}
    if to_unicode is None:
        return found
    data = to_unicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = bytes.fromhex(dst).decode("utf-16-be")
            for i in range(int(start, 16), int(end, 16) + 1):
                found[i] = first[:-1] + chr(ord(first[-1]) + i - int(start, 16))
    return found


def marked_text(page):
    """The text drawn inside each marked-content sequence of the page: MCID -> text."""
    maps = {str(name): unicode_map(font) for name, font in page.Resources.get("/Font", {}).items()}
    texts, stack, current = {}, [], {}
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            props = operands[1]
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            stack.append(None if mcid is None else int(mcid))
        elif op == "BMC":
            stack.append(None)
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            current = maps.get(str(operands[0]), {})
        elif op == "Tj" and stack and stack[-1] is not None:
            raw = bytes(operands[0])
            text = "".join(current.get(int.from_bytes(raw[i : i + 2], "big"), "\ufffd") for i in range(0, len(raw), 2))
            texts[stack[-1]] = texts.get(stack[-1], "") + text
    return texts


def main(path):
    pdf = pikepdf.open(path)
    page_of = {page.objgen: i for i, page in enumerate(pdf.pages)}
    texts = [marked_text(page) for page in pdf.pages]
    out = []

    def walk(element, depth, page):
        out.append("  " * depth + str(element.S)[1:])
        page = element.get("/Pg", page)
        if element.S == "/Figure":
            # A reader hears a figure's text alternative, not the labels drawn in it.
            out.append("  " * (depth + 1) + '"' + str(element.get("/Alt", "")) + '"')
            return
        kids = element.get("/K")
        kids = [] if kids is None else (list(kids) if isinstance(kids, pikepdf.Array) else [kids])
        text = ""
        for kid in kids:
            if isinstance(kid, int):
                text += texts[page_of[page.objgen]].get(kid, "")
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                text += texts[page_of[kid.Pg.objgen]].get(int(kid.MCID), "")
            else:
                walk(kid, depth + 1, page)
        if text:
            out.append("  " * (depth + 1) + '"' + text + '"')

    root = pdf.Root.StructTreeRoot.K
    for element in list(root) if isinstance(root, pikepdf.Array) else [root]:
        walk(element, 0, None)
    print("\n".join(out))


if __name__ == "__main__":
    for p in sys.argv[1:]:
        main(p)
