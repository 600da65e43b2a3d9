"""What pandas and scipy say about a table, for the offline modes' tests (OfflineModesTest): read independently of the
service with pandas.read_csv, printed as JSON.

usage: modes_expectations.py explore FILE COLUMN...          -> shape, missing cells, per column mean/median/min/max
       modes_expectations.py compare FILE MEASURE GROUP A B  -> Welch's t, Mann-Whitney U and their p-values
       modes_expectations.py relate FILE X Y                 -> Pearson's r and its p-value
"""
import json
import sys

import pandas as pd
from scipy import stats


def main(argv):
    kind, path = argv[1], argv[2]
    df = pd.read_csv(path)
    if kind == 'explore':
        out = {'rows': int(df.shape[0]), 'columns': int(df.shape[1]), 'missing': int(df.isna().sum().sum()),
               'measures': {}}
        for c in argv[3:]:
            s = df[c]
            out['measures'][c] = {'mean': round(float(s.mean()), 2), 'median': round(float(s.median()), 2),
                                  'min': round(float(s.min()), 2), 'max': round(float(s.max()), 2)}
    elif kind == 'compare':
        measure, group, a, b = argv[3:7]
        x = df.loc[df[group] == a, measure].dropna()
        y = df.loc[df[group] == b, measure].dropna()
        t = stats.ttest_ind(x, y, equal_var=False)
        u = stats.mannwhitneyu(x, y, alternative='two-sided')
        out = {'t': float(t.statistic), 't_p': float(t.pvalue), 'u': float(u.statistic), 'u_p': float(u.pvalue)}
    else:
        x, y = argv[3:5]
        pair = df[[x, y]].dropna()
        r = stats.pearsonr(pair[x], pair[y])
        out = {'r': float(r[0]), 'r_p': float(r[1])}
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv)
