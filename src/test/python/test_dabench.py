"""Correct answers on real data: pandas snippets on the DABench tables, run by the real supervisor (every layer on),
give exactly what plain pandas gives on the same data (converted with the same output rules)."""
import support  # noqa: I100 (first: it configures the environment before numpy is imported)

import base64
import io
import os
import unittest

import matplotlib.pyplot as plt
import pandas as pd

import output

TABLES = {
    'titanic': ('titanic.csv', []),
    'vaccinations': ('country_vaccinations.csv', ['date']),
    'gdp': ('gapminder_gdp_asia.csv', []),
    'btc': ('YAHOO-BTC_USD_D.csv', ['Date']),
    'insurance': ('insurance.csv', []),
}

SESSIONS = {'titanic': ['titanic'], 'vaccinations': ['vaccinations', 'gdp'], 'btc': ['btc'],
            'insurance': ['insurance']}

SNIPPETS = [
    ('groupby', 'titanic', "result = df.groupby('Pclass')['Fare'].mean()"),
    ('groupby-agg', 'titanic', "result = df.groupby(['Sex', 'Pclass'])['Survived'].agg(['mean', 'count'])"),
    ('pivot', 'titanic', "result = df.pivot_table(index='Sex', columns='Pclass', values='Age', aggfunc='median')"),
    ('string-methods', 'titanic',
     "result = df['Name'].str.extract(r',\\s*([^\\.]+)\\.')[0].str.strip().value_counts().head(5)"),
    ('string-methods-2', 'titanic', "result = df['Sex'].str.upper().str.slice(0, 1).value_counts().to_dict()"),
    ('describe', 'titanic', "result = df.describe()"),
    ('corr', 'titanic', "result = df[['Age', 'Fare', 'SibSp', 'Parch']].corr()"),
    ('corr-scalar', 'titanic', "result = round(df['Age'].corr(df['Fare']), 6)"),
    ('missing', 'titanic', "result = df.isna().sum()"),
    ('stdout', 'titanic', "print(df.shape)\nresult = df['Embarked'].mode()[0]"),
    ('chart', 'titanic', "ax = df['Age'].dropna().plot(kind='hist', bins=20)\nplt.title('Age')\n"
                         "result = int(df['Age'].notna().sum())"),
    ('chart-bar', 'titanic', "import matplotlib.pyplot as plt\ndf.groupby('Embarked')['Fare'].mean().plot.bar()\n"
                             "result = 'chart'"),
    ('resample', 'vaccinations', "result = df.set_index('date').resample('M')['daily_vaccinations'].sum()"),
    ('merge', 'vaccinations', "m = dfs['vaccinations'].merge(dfs['gdp'], on='country')\n"
                              "result = m.groupby('country')['daily_vaccinations'].max().sort_values(ascending=False)"),
    ('merge-shape', 'vaccinations', "result = list(dfs['vaccinations'].merge(dfs['gdp'], on='country').shape)"),
    ('resample-agg', 'btc', "result = df.set_index('Date')['Close'].resample('Y').agg(['min', 'max', 'mean'])"),
    ('datetime-accessors', 'btc', "result = df.groupby(df['Date'].dt.dayofweek)['Volume'].median()"),
    ('unstack', 'insurance', "result = df.groupby(['region', 'smoker'])['charges'].mean().unstack()"),
    ('quantiles', 'insurance', "import numpy as np\nresult = np.percentile(df['bmi'], [25, 50, 75])"),
    ('crosstab', 'insurance', "result = pd.crosstab(df['region'], df['children'])"),
]


def canonical_frames(directory):
    """Each table read as the upload would (plain pandas, dates parsed), written in canonical form."""
    specs, frames = {}, {}
    tables = os.path.join(support.corpus_dir(), 'dabench', 'tables')
    for name, (file_name, dates) in TABLES.items():
        raw = pd.read_csv(os.path.join(tables, file_name), parse_dates=dates or False)
        raw.columns = [str(c) for c in raw.columns]
        specs[name] = support.write_canonical(raw, directory, name)
        spec = specs[name]
        frames[name] = pd.read_csv(spec['path'], header=0, names=spec['columns'],
                                   dtype={c: t for c, t in spec['dtypes'].items() if c not in spec['date_columns']},
                                   parse_dates=spec['date_columns'] or False, keep_default_na=False,
                                   na_values=[''], encoding='utf-8')
    return specs, frames


def plain(code, names, frames):
    """The snippet in plain Python and pandas (no sandbox), converted with the worker's output rules."""
    plt.close('all')
    stdout = output.BoundedText(10000)
    namespace = {'pd': pd, 'plt': plt, 'df': frames[names[0]], 'dfs': {n: frames[n] for n in names},
                 'result': None, 'print': lambda *a, **k: print(*a, file=stdout, **k)}
    exec(code, namespace)
    settings = output.Settings()
    result = output.Converter(settings).result(namespace['result'])
    figures, _ = output.figures(settings)
    plt.close('all')
    return result, stdout.value(), figures


class DabenchAnswersTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.client = support.SupervisorClient(timeout_ms=10000)
        cls.specs, cls.frames = canonical_frames(cls.client.dir)
        for session, names in SESSIONS.items():
            specs = [dict(cls.specs[n], default=(i == 0)) for i, n in enumerate(names)]
            loaded = cls.client.load(session, specs)
            assert loaded['type'] == 'loaded', loaded

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def test_the_worker_loads_exactly_the_frames_plain_pandas_loads(self):
        for session, names in SESSIONS.items():
            for name in names:
                with self.subTest(dataset=name):
                    _, body = self.client.execute(session, "result = {c: str(t) for c, t in dfs[%r].dtypes.items()}"
                                                  % name)
                    self.assertEqual({c: str(t) for c, t in self.frames[name].dtypes.items()}, body['result'])

    def test_snippets_give_what_plain_pandas_gives(self):
        for label, session, code in SNIPPETS:
            with self.subTest(snippet=label):
                header, body = self.client.execute(session, code)
                self.assertEqual('completed', header['outcome'], header)
                self.assertEqual('ok', body['status'], body.get('error'))
                expected, stdout, figures = plain(code, SESSIONS[session], self.frames)
                self.assertEqual(expected, body['result'])
                self.assertEqual(stdout, body['stdout'])
                self.assertEqual(len(figures), len(body['figures']))
                for mine, theirs in zip(body['figures'], figures):
                    self.assertEqual((theirs['width'], theirs['height']), (mine['width'], mine['height']))
                    png = base64.b64decode(mine['data'])
                    self.assertTrue(png.startswith(b'\x89PNG\r\n\x1a\n'))
                    self.assertEqual(base64.b64decode(theirs['data']), png)

    def test_a_chart_is_a_readable_png(self):
        _, body = self.client.execute('titanic', "df['Fare'].plot.box()\nresult = None")
        png = base64.b64decode(body['figures'][0]['data'])
        image = plt.imread(io.BytesIO(png), format='png')
        self.assertEqual((480, 640), image.shape[:2])


if __name__ == '__main__':
    unittest.main()
