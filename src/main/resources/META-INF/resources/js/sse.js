// Server-Sent Events from a fetch() body. EventSource cannot POST, so the analysis stream is read with a streaming
// body reader and parsed here (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream).

/** Yields `{ event, data, id }` for each event of a byte stream; comments (heartbeats) are skipped. */
export async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = ''; // text with its line endings made \n
  let carriageReturn = false; // the last chunk ended with \r, which may be the first half of \r\n
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      let text = (carriageReturn ? '\r' : '') + value;
      carriageReturn = text.endsWith('\r');
      if (carriageReturn) text = text.slice(0, -1);
      buffer += text.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) yield event;
      }
    }
    const last = parse(buffer + (carriageReturn ? '\n' : ''));
    if (last) yield last;
  } finally {
    reader.releaseLock();
  }
}

function parse(block) {
  let event = 'message';
  let id = null;
  const data = [];
  for (const line of block.split('\n')) {
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
