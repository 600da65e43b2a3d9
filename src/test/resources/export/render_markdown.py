"""Renders markdown as Jupyter-like renderers would, to check that text written into a notebook stays text.

Reads a JSON array of markdown strings on stdin; prints a JSON array with, per string, the HTML of markdown-it-py
(preset 'gfm-like' with raw HTML on: tables, strikethrough; linkify off, see below) and of mistune 2 (nbconvert's
renderer, with its url (GFM bare autolinks), table, strikethrough and footnotes plugins).

linkify is off in markdown-it: markdown-it-py 2.1 (Debian 12) runs it on text after backslash escapes are resolved,
so no escaping can stop it there; marked (JupyterLab, the classic notebook), mistune and markdown-it >= 13 find bare
autolinks in the source, where the escaped ':', '/', '.' and '@' break them.

Usage: /usr/bin/python3 render_markdown.py < strings.json"""
import json
import sys

import mistune
from markdown_it import MarkdownIt


def main():
    texts = json.load(sys.stdin)
    markdown_it = MarkdownIt('gfm-like', {'html': True, 'linkify': False})
    mist = mistune.create_markdown(escape=False, plugins=['url', 'table', 'strikethrough', 'footnotes'])
    print(json.dumps([{'markdown_it': markdown_it.render(t), 'mistune': mist(t)} for t in texts]))


if __name__ == '__main__':
    main()
