// Server-Sent Events from a fetch() body. EventSource cannot POST, so the analysis stream is read with a streaming
// body reader and parsed here (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream).

/** Yields `{ event, data, id }` for each event of a byte stream; comments (heartbeats) are skipped. */
export async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = boundary(buffer)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^(\r\n|\r|\n)/, '').replace(/^(\r\n|\r|\n)/, '');
        const event = parse(block);
        if (event) yield event;
      }
    }
    const last = parse(buffer);
    if (last) yield last;
  } finally {
    reader.releaseLock();
  }
}

/** Where the first blank line (end of an event) starts, or -1. */
function boundary(text) {
  const m = /(\r\n|\r|\n)(\r\n|\r|\n)/.exec(text);
  return m ? m.index + m[1].length : -1;
}

function parse(block) {
  let event = 'message';
  let id = null;
  const data = [];
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (data.length === 0) return null;
  return { event, id, data: data.join('\n') };
}
