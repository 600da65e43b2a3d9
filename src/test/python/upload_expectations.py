#!/usr/bin/python3
"""What pandas 1.5.3 makes of every corpus file, read with the options a pandas user would choose for it.

The upload tests (CorpusUploadTest) compare each session's row count, column names and dtypes with this file's
output. It is written independently of the service's Java readers: pandas does the reading; the only rules shared
with the service are the product decisions documented in the README ("How uploads are read"), implemented here
again in a few lines of Python:
  * columns whose every value is an ISO 8601 date/date-time or a US month-first date are parsed as dates;
  * integer-looking columns written with leading zeros (codes such as 01, 00123) stay text;
  * rows with more fields than the header, where the extra fields hold data, are refused (400);
  * .xls files are read with xlrd 1.2.0 (Debian's) the way pandas' own xlrd reader converts cells, then through
    pandas' TextParser, exactly as read_excel does (pandas 1.5.3 refuses xlrd < 2.0 itself).

Run:  /usr/bin/python3 src/test/python/upload_expectations.py > src/test/resources/upload/expectations.json
"""
import json
import os
import re
import sys

import numpy as np
import pandas as pd
import xlrd
from pandas.io.parsers import TextParser

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, '..', '..', '..', '..', 'shared', 'corpus'))
if not os.path.isdir(CORPUS):
    CORPUS = '/work/shared/corpus'

ISO = re.compile(r'^\d{4}([-/])\d{2}\1\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)?( ?[AaPp][Mm])?)?$')
US = re.compile(r'^\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)?( ?[AaPp][Mm])?)?$')
CODE = re.compile(r'^\s*[+-]?0\d+\s*$')
INT = re.compile(r'^\s*[+-]?\d+\s*$')

# Refused on purpose, with the status the service answers.
REFUSED = {
    'files/csvkit_empty_single-newline.csv': 400,          # no rows at all
    'files/frictionless_empty_zero-bytes.csv': 400,        # 0 bytes
    'files/frictionless_header-only.csv': 400,             # header, no data rows
    'files/frictionless_merged-cells.xlsx': 400,           # one merged cell: a header and no data
    'files/csvkit_ragged-rows_too-long-and-too-short.csv': 400,   # a row with data beyond the header
    'files/csvkit_blank-lines-before-header_ragged.csv': 400,     # same, after blank lines
    'files/frictionless_defective-rows.csv': 400,          # row 3 has 4 fields with data, header 3
    'files/frictionless_pipe-delimited_hash-quotechar.csv': 400,  # '#' as quote char and '-' as escape: unsupported dialect
}

# The options a pandas user would pass to read each CSV correctly (CHECKS.md in the corpus says why).
CSV_OPTIONS = {
    'files/csvkit_tab-delimited-named-csv.csv': dict(sep='\t'),
    'files/frictionless_semicolon_utf8-cjk.csv': dict(sep=';'),
    'files/frictionless_comment-lines.csv': dict(comment='#'),
    'files/frictionless_backslash-escapes_space-after-delimiter.csv': dict(skipinitialspace=True, escapechar='\\'),
    'files/csvkit_real_va-edu-fy10_title-rows-before-header.csv': dict(skiprows=2),
    'files/csvkit_latin1.csv': dict(encoding='latin-1'),
    'files/csvkit_utf16-be-bom.csv': dict(encoding='utf-16'),
    'files/csvkit_utf16-le-bom.csv': dict(encoding='utf-16'),
    'files/frictionless_greek-iso-8859-7.csv': dict(encoding='iso-8859-7'),
    'files/frictionless_real_hotel-rates_latin1-semicolon-decimal-comma.csv': dict(encoding='latin-1', sep=';', decimal=','),
    'files/frictionless_real_istat-comuni_latin1-semicolon-multiline-header.csv': dict(encoding='latin-1', sep=';'),
    'files/csvkit_row-longer-than-header_all-empty.csv': dict(index_col=False),
    'dabench/tables/Current_Logan.csv': dict(header=1),
}

# Header rows of workbooks whose header is not on the first non-empty row (none so far: title rows are skipped).
EXCEL_HEADER = {}


def dates_in(raw):
    """Columns of an all-text frame whose every value is a date in one supported format."""
    out = []
    for col in raw.columns:
        values = raw[col].dropna()
        values = values[values.astype(str).str.len() > 0]
        if len(values) == 0:
            continue
        text = values.astype(str)
        for pattern in (ISO, US):
            if text.map(lambda v: bool(pattern.match(v))).all():
                if pd.to_datetime(text, errors='coerce').notna().all():
                    out.append(col)
                break
    return out


def codes_in(raw):
    """Integer-looking columns where some value has leading zeros."""
    out = []
    for col in raw.columns:
        text = raw[col].dropna().astype(str)
        if len(text) and text.map(lambda v: bool(INT.match(v))).all() and text.map(lambda v: bool(CODE.match(v))).any():
            out.append(col)
    return out


def describe(df, name):
    dtypes = []
    for col in df.columns:
        dt = str(df[col].dtype)
        dtypes.append('object' if dt == 'uint64' else dt)
    return {'name': name, 'rows': int(len(df)), 'columns': [str(c) for c in df.columns], 'dtypes': dtypes}


def csv_expectation(key, path):
    opts = CSV_OPTIONS.get(key, {})
    raw = pd.read_csv(path, dtype=str, **opts)
    dates = dates_in(raw)
    codes = codes_in(raw)
    df = pd.read_csv(path, parse_dates=dates, dtype={c: str for c in codes}, **opts)
    return {'status': 201, 'datasets': [describe(df, os.path.splitext(os.path.basename(path))[0])]}


def typed_excel_frame(frame):
    """Applies the date and code rules to a frame read from a workbook."""
    for col in list(frame.columns):
        series = frame[col]
        if series.dtype == object:
            values = series.dropna()
            if len(values) and values.map(lambda v: isinstance(v, str)).all():
                as_text = pd.DataFrame({col: values.astype(str)})
                if dates_in(as_text):
                    frame[col] = pd.to_datetime(series)
    return frame


def xlsx_expectation(key, path):
    sheets = pd.read_excel(path, sheet_name=None, header=EXCEL_HEADER.get(key, 0))
    datasets = []
    for name, frame in sheets.items():
        if len(frame.columns) == 0 or len(frame) == 0:
            continue
        frame = frame.dropna(how='all')
        if frame.columns.astype(str).str.startswith('Unnamed').all():
            # title rows above the header: the header is the first row that is not a single title cell
            raw = pd.read_excel(path, sheet_name=name, header=None).dropna(how='all')
            header = next(i for i, (_, row) in enumerate(raw.iterrows()) if row.notna().sum() > 1)
            frame = pd.read_excel(path, sheet_name=name, header=int(raw.index[header]))
        datasets.append(describe(typed_excel_frame(frame), name))
    return {'status': 201, 'datasets': datasets}


def xls_sheet_rows(book, sheet):
    """Rows as pandas' xlrd reader converts them (pandas/io/excel/_xlrd.py, 1.5.3)."""
    rows = []
    for i in range(sheet.nrows):
        row = []
        for value, typ in zip(sheet.row_values(i), sheet.row_types(i)):
            if typ == xlrd.XL_CELL_DATE:
                value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
            elif typ == xlrd.XL_CELL_ERROR:
                value = np.nan
            elif typ == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif typ == xlrd.XL_CELL_NUMBER and int(value) == value:
                value = int(value)
            row.append(value)
        rows.append(row)
    return rows


def xls_expectation(path):
    book = xlrd.open_workbook(path)
    datasets = []
    for sheet in book.sheets():
        rows = xls_sheet_rows(book, sheet)
        while rows and all(v == '' for v in rows[-1]):
            rows.pop()
        if len(rows) < 2:
            continue
        frame = TextParser(rows, header=0).read()
        frame = frame.dropna(how='all')
        if len(frame):
            datasets.append(describe(typed_excel_frame(frame), sheet.name))
    return {'status': 201, 'datasets': datasets}


def main():
    out = {}
    for folder in ('files', 'dabench/tables'):
        for name in sorted(os.listdir(os.path.join(CORPUS, folder))):
            key = folder + '/' + name
            path = os.path.join(CORPUS, folder, name)
            if key in REFUSED:
                out[key] = {'status': REFUSED[key]}
            elif name.endswith('.xlsx'):
                out[key] = xlsx_expectation(key, path)
            elif name.endswith('.xls'):
                out[key] = xls_expectation(path)
            else:
                out[key] = csv_expectation(key, path)
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False, sort_keys=True)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
