"""Checks an exported notebook: valid nbformat 4, runs top to bottom in a Jupyter kernel (nbclient + ipykernel), and
what each answer's cell computes. Prints JSON: {cells, charts: [per step cell], results: [per step cell]}.

Usage: /usr/bin/python3 run_notebook.py NOTEBOOK (the dataset files next to it)."""
import json
import os
import sys

import nbclient
import nbformat
import numpy as np
import pandas as pd


def plain(value):
    """The result as JSON values, to compare with the service's raw_result."""
    if isinstance(value, pd.DataFrame):
        return {'type': 'dataframe', 'columns': [str(c) for c in value.columns],
                'data': [[plain(v) for v in row] for row in value.itertuples(index=False, name=None)]}
    if isinstance(value, pd.Series):
        return {'type': 'series', 'data': {str(k): plain(v) for k, v in value.items()}}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def main(path):
    directory = os.path.dirname(os.path.abspath(path))
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name='python3',
                                     resources={'metadata': {'path': directory}})
    client.execute()
    code_cells = [c for c in nb.cells if c.cell_type == 'code']
    charts = [sum(1 for o in c.outputs if o.get('output_type') == 'display_data' and 'image/png' in o.get('data', {}))
              for c in code_cells[1:]]
    # the same cells run in a plain interpreter, to read each answer's result
    os.chdir(directory)
    names = {'__name__': '__main__'}
    exec(compile(code_cells[0].source, 'load', 'exec'), names)
    results = []
    for cell in code_cells[1:]:
        exec(compile(cell.source, 'answer', 'exec'), names)
        results.append(plain(names['result']))
    print(json.dumps({'cells': len(nb.cells), 'charts': charts, 'results': results}, default=str))


if __name__ == '__main__':
    main(sys.argv[1])
