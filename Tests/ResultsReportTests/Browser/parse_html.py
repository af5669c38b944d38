#!/usr/bin/env python3
"""Parse an HTML page strictly with html5lib (the WHATWG parsing algorithm) and describe it.

Usage: parse_html.py PAGE.html

Any parse error (a stray end tag, an unclosed element, a bad character reference...) is reported
as `PAGE.html: line:col: error` and exits 1. Otherwise prints one JSON object: the ids of the
<section> elements, the number of inline <svg> pictures, and the elements and attributes that
would fetch something (script, link, img, iframe, object, embed, src=, @import, url() other than
a fragment) — none are expected — and the ids used more than once (an id must be unique).
"""

import json
import re
import sys

import html5lib

SVG = "{http://www.w3.org/2000/svg}"
FETCHING_ELEMENTS = {"script", "link", "img", "iframe", "object", "embed", "audio", "video", "source", "image", "use"}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1], "rb") as handle:
        data = handle.read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(data)
    except html5lib.html5parser.ParseError as error:
        (line, column), code, details = parser.errors[-1] if parser.errors else ((0, 0), str(error), {})
        print(f"{argv[1]}: {line}:{column}: {code} {details}", file=sys.stderr)
        return 1
    fetching = []
    ids = [element.get("id") for element in document.iter() if element.get("id") is not None]
    for element in document.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        name = tag.replace(SVG, "")
        if name in FETCHING_ELEMENTS:
            fetching.append(f"<{name}>")
        for attribute, value in element.attrib.items():
            if attribute in ("src", "srcset", "href") and not (attribute == "href" and value.startswith("#")):
                fetching.append(f"{attribute}={value}")
    text = data.decode("utf-8")
    fetching += re.findall(r"@import[^;]*", text)
    fetching += [match for match in re.findall(r"url\(([^)]*)\)", text) if not match.startswith("#")]
    print(json.dumps({
        "sections": [section.get("id") for section in document.iter("section")],
        "svgs": len(list(document.iter(f"{SVG}svg"))),
        "fetching": fetching,
        "duplicate_ids": sorted({identifier for identifier in ids if ids.count(identifier) > 1}),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
