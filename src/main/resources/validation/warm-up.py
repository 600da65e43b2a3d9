# Code the validator checks a few times in each new context before it serves requests, so that the first real
# check does not pay for loading and specialising the policy. It touches most of the checker's paths.
import numpy as np
import io
from collections import Counter
import statsmodels.formula.api as smf

sales = df.copy()
sales['date'] = pd.to_datetime(sales['date'], errors='coerce')
monthly = sales.groupby(sales['date'].dt.to_period('M'))['revenue'].agg(['sum', 'mean'])
threshold = monthly['mean'].max()
top = sales.query('revenue > @threshold and region in ["EU", "US"]')
extra = pd.read_csv(io.StringIO('a,b\n1,2'))
counts = Counter(sales['category'].astype(str))
label = f"{len(sales):,} rows, {sales['revenue'].sum():.2f} total"
model = smf.ols('revenue ~ C(region) + np.log(units)', data=sales).fit()


def share(frame, column):
    total = frame[column].sum()
    return [value / total for value in frame[column] if value is not None]


fig, ax = plt.subplots(figsize=(8, 4))
monthly['sum'].plot(ax=ax, kind='bar', title=label)
result = {'monthly': monthly, 'top': top.head(), 'share': share(sales, 'revenue'), 'n': sales.to_csv()}
