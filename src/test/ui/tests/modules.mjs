// The page's own modules, checked in the browser on inputs the end-to-end scenarios cannot force: an event stream cut
// at every possible byte, number formats, the tokenizer.
import assert from 'node:assert/strict';

export default [
  {
    name: 'modules: the SSE reader, number formats and the Python tokenizer',
    async run(t) {
      const { page } = t;
      await page.goto(`${t.base}/`);
      const sse = await page.evaluate(async () => {
        const { readEvents } = await import('/js/sse.js');
        const text = ': heartbeat\r\n\r\nevent: status\r\nid: 1\r\ndata: {"stage":"generating","attempt":1}\r\n\r\n'
          + 'event: code\nid: 2\ndata: {"code":\ndata: "x = 1"}\n\n: comment\n\nevent: done\ndata:{"ok":true}\n\n';
        const bytes = new TextEncoder().encode(`${text}event: interpretation\ndata: {"delta":"é—✓"}\n\n`);
        const outcomes = new Set();
        for (let cut = 0; cut <= bytes.length; cut += 1) { // every split of the body into two chunks
          const body = new ReadableStream({
            start(controller) {
              controller.enqueue(bytes.slice(0, cut));
              controller.enqueue(bytes.slice(cut));
              controller.close();
            },
          });
          const events = [];
          for await (const e of readEvents(body)) events.push(e);
          outcomes.add(JSON.stringify(events));
        }
        return [...outcomes].map((o) => JSON.parse(o));
      });
      assert.equal(sse.length, 1, 'the same events whatever the chunking');
      assert.deepEqual(sse[0], [
        { event: 'status', id: '1', data: '{"stage":"generating","attempt":1}' },
        { event: 'code', id: '2', data: '{"code":\n"x = 1"}' },
        { event: 'done', id: null, data: '{"ok":true}' },
        { event: 'interpretation', id: null, data: '{"delta":"é—✓"}' },
      ]);

      const formats = await page.evaluate(async () => {
        const f = await import('/js/format.js');
        return [1234567, 1599.5, 0.012345, 3.14159, -42, 2.5e16, 0.00001234, 0, NaN, Infinity]
          .map(f.formatNumber).concat([f.formatCell(null).text, f.formatCell('2024-01-05T00:00:00').text,
            f.formatCell('2024-01-05T13:45:10').text, f.formatCell({ a: 1 }).text, f.formatBytes(2_700_000),
            f.formatSeconds(0.0523), f.formatSeconds(75)]);
      });
      assert.deepEqual(formats, ['1,234,567', '1,599.5', '0.01235', '3.14', '-42', '2.500e+16', '1.234e-5', '0', 'NaN', '∞',
        '—', '2024-01-05', '2024-01-05 13:45:10', '{"a":1}', '2.6 MB', '0.052 s', '1 min 15 s']);

      const tokens = await page.evaluate(async () => {
        const { tokenize } = await import('/js/highlight.js');
        return tokenize("def f(x):\n    '''doc\n    string'''\n    return df.groupby(x).sum() # total\nresult = f'{a}' + rb\"\\x00\" + 1.5e3");
      });
      const kinds = tokens.filter(([, cls]) => cls && cls !== 'op').map(([text, cls]) => `${cls}:${text}`);
      assert.deepEqual(kinds, ['kw:def', 'fn:f', 'name:x', 'str:\'\'\'doc\n    string\'\'\'', 'kw:return', 'var:df',
        'method:groupby', 'name:x', 'method:sum', 'com:# total', 'var:result', "str:f'{a}'", 'str:rb"\\x00"', 'num:1.5e3']);
      assert.equal(tokens.map(([text]) => text).join(''),
        "def f(x):\n    '''doc\n    string'''\n    return df.groupby(x).sum() # total\nresult = f'{a}' + rb\"\\x00\" + 1.5e3",
        'the tokens hold the code exactly');
    },
  },
];
