// Numbers, dates and cells formatted for people (the exact value stays available as a tooltip).

const formatters = new Map();

function formatter(options) {
  const key = JSON.stringify(options);
  if (!formatters.has(key)) formatters.set(key, new Intl.NumberFormat(undefined, options));
  return formatters.get(key);
}

/** 1234567 → "1,234,567"; 1599.5 → "1,599.5"; 0.012345 → "0.01235"; huge or tiny → scientific. */
export function formatNumber(n) {
  if (typeof n !== 'number') return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '∞' : '−∞';
  const abs = Math.abs(n);
  if (Number.isInteger(n) && abs < 1e15) return formatter({ maximumFractionDigits: 0 }).format(n);
  if (abs >= 1e15 || (abs !== 0 && abs < 1e-4)) return n.toExponential(3);
  if (abs >= 1) return formatter({ maximumFractionDigits: 2 }).format(n);
  return formatter({ maximumSignificantDigits: 4 }).format(n);
}

/** An integer count: "1,234". */
export function formatCount(n) {
  return typeof n === 'number' ? formatter({ maximumFractionDigits: 0 }).format(n) : String(n ?? '');
}

/** "1 row" / "2 rows". */
export function plural(n, one, many = `${one}s`) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

const MIDNIGHT = /^(\d{4}-\d{2}-\d{2})T00:00(?::00(?:\.0+)?)?$/;

/** A date-time at midnight is shown as its date; other ISO values as they are. */
export function formatDate(text) {
  const m = MIDNIGHT.exec(text);
  return m ? m[1] : text.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?$/, '$1 $2');
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * A cell as text: { text, title, kind } where kind is "num", "null", "bool", "date" or "text". Never markup.
 */
export function formatCell(value) {
  if (value === null || value === undefined) return { text: '—', title: 'missing (NaN / None)', kind: 'null' };
  if (typeof value === 'number') return { text: formatNumber(value), title: String(value), kind: 'num' };
  if (typeof value === 'boolean') return { text: String(value), kind: 'bool' };
  if (typeof value === 'string') {
    if (ISO.test(value)) return { text: formatDate(value), title: value, kind: 'date' };
    return { text: value, title: value.length > 60 ? value : undefined, kind: 'text' };
  }
  const json = JSON.stringify(value);
  return { text: json, title: json.length > 60 ? json : undefined, kind: 'text' };
}

/** Seconds as "0.04 s", "1.2 s", "2 min 5 s". */
export function formatSeconds(s) {
  if (typeof s !== 'number' || !Number.isFinite(s)) return '';
  if (s < 1) return `${formatter({ maximumSignificantDigits: 2 }).format(s)} s`;
  if (s < 60) return `${formatter({ maximumFractionDigits: 1 }).format(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", or the date; from an ISO text or epoch milliseconds. */
export function formatWhen(iso, now = Date.now()) {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
  return new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Bytes as "12 KB", "3.4 MB". */
export function formatBytes(n) {
  if (typeof n !== 'number') return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${formatter({ maximumFractionDigits: i === 0 ? 0 : 1 }).format(n)} ${units[i]}`;
}
