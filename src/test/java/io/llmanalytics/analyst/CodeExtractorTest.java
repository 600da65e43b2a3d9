package io.llmanalytics.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CodeExtractorTest {

    @Test
    void takesTheCodeOfASinglePythonFence() {
        assertEquals(
                "result = df['revenue'].sum()\n",
                CodeExtractor.extract("```python\nresult = df['revenue'].sum()\n```"));
    }

    @Test
    void keepsMatchStatementsAndDecorators() {
        // match/case and decorator lines are code: dropping them as prose would silently change what runs
        String code = """
                def label(v):
                    match v:
                        case 0:
                            return 'none'
                        case _:
                            return 'some'
                result = df['units'].map(label)
                """;
        assertEquals(code, CodeExtractor.extract("```python\n" + code + "```"));
        assertEquals(code, CodeExtractor.extract(code));
        String decorated = """
                @staticmethod
                def f(x):
                    return x
                result = f(1)
                """;
        assertEquals(decorated, CodeExtractor.extract(decorated));
    }

    @Test
    void dropsProseAroundAFence() {
        String answer = """
                Sure! To get the total revenue per category, group by category and sum:

                ```py
                totals = df.groupby('category')['revenue'].sum()
                result = totals.sort_values(ascending=False)
                ```

                This returns a Series sorted from the largest category to the smallest. Let me know if you need more!
                """;
        assertEquals(
                "totals = df.groupby('category')['revenue'].sum()\nresult = totals.sort_values(ascending=False)\n",
                CodeExtractor.extract(answer));
    }

    @Test
    void prefersTheBlockThatAssignsResultOverExamplesAndOutput() {
        String answer = """
                First look at the data:
                ```python
                df.head()
                ```
                Then compute the answer:
                ```python
                result = df['price'].mean()
                ```
                Output:
                ```
                   price
                0  12.5
                ```
                """;
        assertEquals("result = df['price'].mean()\n", CodeExtractor.extract(answer));
    }

    @Test
    void ignoresBlocksInOtherLanguages() {
        String answer = """
                Install nothing:
                ```bash
                pip install pandas
                ```
                ```json
                {"a": 1}
                ```
                ```python
                result = len(df)
                ```
                """;
        assertEquals("result = len(df)\n", CodeExtractor.extract(answer));
    }

    @Test
    void joinsStepsSplitAcrossBlocksWhenTheLastUsesEarlierVariables() {
        String answer = """
                Step 1, filter:
                ```python
                recent = df[df['year'] >= 2020]
                ```
                Step 2, aggregate:
                ```python
                result = recent.groupby('region')['sales'].sum()
                ```
                """;
        assertEquals(
                "recent = df[df['year'] >= 2020]\n\nresult = recent.groupby('region')['sales'].sum()\n",
                CodeExtractor.extract(answer));
    }

    @Test
    void takesTheLastOfTwoCompleteVersions() {
        String answer = """
                ```python
                result = df['a'].sum()
                ```
                Actually, missing values should be excluded explicitly:
                ```python
                result = df['a'].dropna().sum()
                ```
                """;
        assertEquals("result = df['a'].dropna().sum()\n", CodeExtractor.extract(answer));
    }

    @Test
    void findsCodeWithoutAnyFence() {
        String answer = """
                Here is the code you need:
                import numpy as np
                mask = df['qty'] > 0
                result = np.round(df.loc[mask, 'price'].mean(), 2)
                This calculates the average price of the rows with a positive quantity.
                """;
        assertEquals(
                "import numpy as np\nmask = df['qty'] > 0\nresult = np.round(df.loc[mask, 'price'].mean(), 2)\n",
                CodeExtractor.extract(answer));
    }

    @Test
    void keepsIndentedBlocksAndContinuationsWithoutFence() {
        String answer = """
                The following loop collects the totals.

                totals = {}
                for name, group in df.groupby('team'):
                    totals[name] = group['points'].sum()

                result = pd.Series(totals,
                                   name='points')
                That is all.
                """;
        assertEquals("""
                totals = {}
                for name, group in df.groupby('team'):
                    totals[name] = group['points'].sum()

                result = pd.Series(totals,
                                   name='points')
                """, CodeExtractor.extract(answer));
    }

    @Test
    void acceptsAFenceCutOffAtTheEnd() {
        assertEquals("result = df.describe()\n", CodeExtractor.extract("```python\nresult = df.describe()\n"));
    }

    @Test
    void acceptsTildeFencesAndDedentsIndentedBlocks() {
        String answer = "1. Run this:\n\n    ~~~python\n    x = df['a']\n    result = x.max()\n    ~~~\n";
        assertEquals("x = df['a']\nresult = x.max()\n", CodeExtractor.extract(answer));
    }

    @Test
    void stripsAStrayLanguageLineAndInlineTicks() {
        assertEquals("result = df.shape[0]\n", CodeExtractor.extract("python\nresult = df.shape[0]"));
        assertEquals("result = df.shape[0]\n", CodeExtractor.extract("The answer: `result = df.shape[0]`"));
    }

    @Test
    void returnsNothingWhenThereIsNoCode() {
        assertEquals("", CodeExtractor.extract("I am sorry, but I cannot answer that question with this data."));
        assertEquals("", CodeExtractor.extract(""));
        assertEquals("", CodeExtractor.extract(null));
    }

    @Test
    void keepsLinesWhoseNamesAreNotAscii() {
        String code = "größe = df['Größe'].sum()\nｒｅｓｕｌｔ = größe\nresult = größe\n";
        assertEquals(code, CodeExtractor.extract(code));
        assertEquals(code, CodeExtractor.extract("Here it is:\n\n" + code + "\nThat gives the total."));
    }
}
