// Python syntax highlighting that builds spans and text nodes (never HTML strings): one <span class="line"> per
// source line, tokens inside as <span class="tok-…">.

const KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
  'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is',
  'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);
const BUILTINS = new Set(['abs', 'all', 'any', 'bool', 'dict', 'divmod', 'enumerate', 'filter', 'float', 'format',
  'getattr', 'hasattr', 'int', 'isinstance', 'len', 'list', 'map', 'max', 'min', 'pow', 'print', 'range', 'reversed',
  'round', 'set', 'sorted', 'str', 'sum', 'tuple', 'type', 'zip']);
const NAMES = new Set(['df', 'dfs', 'pd', 'np', 'plt', 'sns', 'result']);

const TOKEN = new RegExp([
  /(#[^\n]*)/.source, // 1 comment
  /((?:[rRbBuUfF]{1,2})?(?:'''[\s\S]*?(?:'''|$)|"""[\s\S]*?(?:"""|$)|'(?:\\.|[^'\\\n])*'?|"(?:\\.|[^"\\\n])*"?))/.source, // 2 string
  /((?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?j?))/.source, // 3 number
  /(@[A-Za-z_][\w.]*)/.source, // 4 decorator
  /([A-Za-z_]\w*)/.source, // 5 name
  /(\s+)/.source, // 6 space
  /([^\s\w])/.source, // 7 operator or punctuation
].join('|'), 'gy');

/** Splits Python source into [text, class] tokens. */
export function tokenize(code) {
  const tokens = [];
  TOKEN.lastIndex = 0;
  let m;
  while (TOKEN.lastIndex < code.length && (m = TOKEN.exec(code))) {
    const [text, comment, string, number, decorator, name, space] = m;
    let cls = 'op';
    if (comment) cls = 'com';
    else if (string) cls = 'str';
    else if (number) cls = 'num';
    else if (decorator) cls = 'deco';
    else if (space) cls = null;
    else if (name) cls = classify(name, code, TOKEN.lastIndex, tokens);
    tokens.push([text, cls]);
  }
  if (TOKEN.lastIndex < code.length) tokens.push([code.slice(TOKEN.lastIndex), null]);
  return tokens;
}

function classify(name, code, end, tokens) {
  const previous = tokens.length > 0 ? tokens[tokens.length - 1][0] : '';
  if (KEYWORDS.has(name)) return 'kw';
  if (/^\s*\(/.test(code.slice(end, end + 20))) return previous === '.' ? 'method' : BUILTINS.has(name) ? 'builtin' : 'fn';
  if (previous === '.') return 'attr';
  if (NAMES.has(name)) return 'var';
  return 'name';
}

/**
 * Highlighted code as a fragment of line spans. `marks` is a set of 1-based line numbers to flag (for example the
 * lines a validation rule points at).
 */
export function highlight(code, marks = new Set()) {
  const fragment = document.createDocumentFragment();
  let number = 1;
  let line = newLine(number, marks);
  for (const [text, cls] of tokenize(code)) {
    text.split('\n').forEach((part, i) => {
      if (i > 0) {
        // the line break stays in the text (copying and textContent keep the code as it is) at the end of its line
        line.append('\n');
        fragment.append(line);
        number += 1;
        line = newLine(number, marks);
      }
      if (part === '') return;
      if (cls) {
        const span = document.createElement('span');
        span.className = `tok-${cls}`;
        span.textContent = part;
        line.append(span);
      } else {
        line.append(document.createTextNode(part));
      }
    });
  }
  fragment.append(line);
  return fragment;
}

function newLine(number, marks) {
  const line = document.createElement('span');
  line.className = marks.has(number) ? 'line marked' : 'line';
  line.dataset.line = String(number);
  return line;
}
