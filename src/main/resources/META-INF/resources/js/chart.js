// Interactive charts: a chart's Plotly spec ({data, layout}) drawn with plotly.js, served by the service itself at
// /vendor/plotly.min.js and loaded only when a chart appears. The PNG is shown first and stays when plotly.js cannot
// be loaded, the spec is absent or invalid, or drawing fails. A spec comes from analysis code, that is from the model
// and the data: before drawing, every string Plotly would read as HTML is made text, links and remote sources are
// dropped, and sizes are bounded. Used by the conversation, the shared read-only page and the dashboard cards.
import { h } from './dom.js';

const PLOTLY_URL = '/vendor/plotly.min.js';
const LOAD_TIMEOUT_MS = 20000;

export const LIMITS = Object.freeze({
  traces: 50, // traces drawn
  items: 5000, // items of any one array
  nodes: 300000, // values in the whole spec
  depth: 20, // nesting
  text: 2000, // characters of any one string
});

// Trace types whose drawing fetches map tiles or outlines from remote servers: never drawn here.
const REMOTE_TRACES = new Set(['scattergeo', 'choropleth', 'scattermapbox', 'choroplethmapbox', 'densitymapbox',
  'scattermap', 'choroplethmap', 'densitymap']);
// Keys never passed on: links, where they open, remote sources and images, a mapbox token, animation frames.
const DROPPED_KEYS = new Set(['href', 'target', 'source', 'images', 'accesstoken', 'frames', 'meta', 'customdata_src']);
// Tags a hover or text template may keep: line breaks, emphasis, and Plotly's <extra> (the trace name box), without
// attributes. A template with any other tag is dropped.
const TEMPLATE_TAG = /<[^>]*>?/g;
const SAFE_TEMPLATE_TAG = /^<\/?(br|b|i|em|sup|sub|extra)\s*\/?>$/i;

let plotly = null;

/** plotly.js, loaded once with a <script> element (the page's CSP allows scripts of this service only). */
export function loadPlotly() {
  if (globalThis.Plotly?.newPlot) return Promise.resolve(globalThis.Plotly);
  if (plotly) return plotly;
  plotly = new Promise((resolve, reject) => {
    const script = document.createElement('script');
    const timer = setTimeout(() => reject(new Error('plotly.js did not load in time')), LOAD_TIMEOUT_MS);
    script.src = PLOTLY_URL;
    script.async = true;
    script.onload = () => {
      clearTimeout(timer);
      if (globalThis.Plotly?.newPlot) resolve(globalThis.Plotly);
      else reject(new Error('plotly.js loaded without Plotly'));
    };
    script.onerror = () => {
      clearTimeout(timer);
      reject(new Error('plotly.js could not be loaded'));
    };
    document.head.append(script);
  });
  plotly.catch(() => { plotly = null; }); // a later chart may try again
  return plotly;
}

/** `text` as Plotly shows it literally: no tags (< and > become entities, which Plotly prints as characters). */
function text(value) {
  const s = value.length > LIMITS.text ? value.slice(0, LIMITS.text) : value;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A copy of `spec` that is safe to draw: {data, layout} with at most LIMITS.traces traces, arrays cut to
 * LIMITS.items, strings made text, links, targets, remote sources and templates carrying tags left out; null when
 * nothing drawable is left.
 */
export function sanitizeSpec(spec) {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec) || !Array.isArray(spec.data)) return null;
  let nodes = 0;
  const clean = (value, depth, key) => {
    if (++nodes > LIMITS.nodes || depth > LIMITS.depth) return undefined;
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value === 'string') {
      // hovertemplate, texttemplate...: Plotly formats them itself; one with tags other than line breaks and emphasis
      // is dropped (the default hover label stays)
      if (/template$/i.test(key ?? '')) {
        const tags = value.match(TEMPLATE_TAG) ?? [];
        return tags.every((tag) => SAFE_TEMPLATE_TAG.test(tag)) && value.length <= LIMITS.text ? value : undefined;
      }
      return text(value);
    }
    if (Array.isArray(value)) {
      const out = [];
      for (const item of value.slice(0, LIMITS.items)) {
        const c = clean(item, depth + 1, key);
        out.push(c === undefined ? null : c);
        if (nodes > LIMITS.nodes) break;
      }
      return out;
    }
    if (typeof value === 'object') {
      const out = {};
      for (const [k, v] of Object.entries(value)) {
        const lower = k.toLowerCase();
        if (DROPPED_KEYS.has(lower) || lower.endsWith('src') || k === '__proto__' || k === 'constructor'
          || k === 'prototype') continue;
        const c = clean(v, depth + 1, k);
        if (c !== undefined) out[k] = c;
      }
      return out;
    }
    return undefined;
  };
  const data = spec.data.filter((t) => t && typeof t === 'object' && !Array.isArray(t)
    && !REMOTE_TRACES.has(String(t.type ?? 'scatter').toLowerCase())).slice(0, LIMITS.traces)
    .map((t) => clean(t, 1, null)).filter((t) => t && typeof t === 'object');
  if (!data.length) return null;
  const rawLayout = spec.layout && typeof spec.layout === 'object' && !Array.isArray(spec.layout) ? spec.layout : {};
  const layout = clean(rawLayout, 1, null) ?? {};
  for (const name of ['mapbox', 'map', 'geo', 'updatemenus', 'sliders']) delete layout[name];
  return { data, layout };
}

const CONFIG = Object.freeze({
  responsive: true,
  displaylogo: false,
  scrollZoom: false,
  showLink: false,
  showSendToCloud: false,
  showEditInChartStudio: false,
  linkText: '',
  modeBarButtonsToRemove: ['sendDataToCloud', 'editInChartStudio'],
  toImageButtonOptions: { format: 'png', filename: 'chart' },
});

/**
 * A <figure> showing `img` (the chart's PNG) at once, replaced by the interactive chart when `spec` (or the promise
 * of one) gives a drawable spec and plotly.js draws it. `label` names the chart for assistive technology.
 */
export function chartFigure(img, spec, label) {
  const figure = h('figure', { class: 'chart-figure' }, img);
  Promise.resolve(spec).then((value) => {
    const safe = sanitizeSpec(value);
    if (!safe) return;
    loadPlotly().then(async (Plotly) => {
      const box = h('div', { class: 'chart-interactive', role: 'group', 'aria-label': label ?? 'Interactive chart' });
      figure.append(box);
      try {
        const layout = { autosize: true, ...safe.layout };
        if (!layout.height) layout.height = 420;
        await Plotly.newPlot(box, safe.data, layout, { ...CONFIG });
        for (const button of box.querySelectorAll('.modebar-btn:not([aria-label])')) {
          button.setAttribute('aria-label', button.getAttribute('data-title') ?? 'Chart tool');
        }
        // the PNG stays in the page, out of sight: the static form (saved, printed, read by assistive technology).
        // Out of sight, a lazy image would never come near the viewport, so it loads at once
        img.loading = 'eager';
        img.classList.add('visually-hidden');
        figure.dataset.interactive = 'true';
      } catch (e) {
        box.remove();
        figure.dataset.interactive = 'failed';
      }
    }, () => { figure.dataset.interactive = 'unavailable'; });
  }, () => {});
  return figure;
}
