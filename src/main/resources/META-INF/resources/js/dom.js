// Building the page from data: elements and text nodes only. Nothing here parses HTML, so a column name, a cell, a
// result or a model's answer can never become markup, run script or load anything.

const PROPERTIES = new Set(['hidden', 'disabled', 'open', 'value', 'checked', 'tabIndex', 'type', 'name']);
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. `props`: `class`, `text` (text content), `dataset`, `on<event>` handlers, DOM properties
 * (`hidden`, `disabled`, `open`, `value`...) and attributes (everything else; `true` sets an empty attribute, `false`
 * and null skip it). Children: nodes, strings and numbers (as text), arrays; null and false are skipped.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, ...children);
  return el;
}

export function setProps(el, props) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  return el;
}

/** Appends children (see `h`); strings become text nodes. */
export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Removes every child and appends the given ones. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

/** A small inline icon (24×24 viewBox paths, stroked with currentColor). */
export function icon(name) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name] ?? []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

const ICONS = {
  upload: ['M12 16V4', 'M7 9l5-5 5 5', 'M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3'],
  send: ['M4 12l16-8-6 16-2.5-6.5z', 'M11.5 13.5L20 4'],
  stop: ['M7 7h10v10H7z'],
  trash: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13', 'M10 11v6', 'M14 11v6'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  check: ['M5 12l5 5 9-10'],
  table: ['M4 5h16v14H4z', 'M4 10h16', 'M10 5v14'],
  menu: ['M4 6h16', 'M4 12h16', 'M4 18h16'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  spark: ['M12 3v4', 'M12 17v4', 'M3 12h4', 'M17 12h4', 'M6 6l2.5 2.5', 'M15.5 15.5L18 18', 'M6 18l2.5-2.5',
    'M15.5 8.5L18 6'],
  alert: ['M12 4l9 16H3z', 'M12 10v4', 'M12 17v.5'],
  chat: ['M4 5h16v11H9l-5 4z'],
  file: ['M6 3h8l4 4v14H6z', 'M14 3v4h4'],
  code: ['M8 7l-5 5 5 5', 'M16 7l5 5-5 5'],
};
