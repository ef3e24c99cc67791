// Recognises a whole raw HTTP request (request line, headers, blank line, body) pasted or dropped
// in place of a body, and checks the headers DMS sends. Pure: no DOM, no package.

const REQUEST_LINE = /^([A-Z][A-Z-]*) (\S+) HTTP\/(\d(?:\.\d)?)\r?$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*\r?$/;

function latin1(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return s;
}

/** End of the header block in a text: { headEnd, bodyStart } or null. */
function headerEnd(text) {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? { headEnd: m.index, bodyStart: m.index + m[0].length } : null;
}

/**
 * Decodes a chunked transfer-encoded body (text). Returns null when it is not well formed.
 * Chunk sizes count bytes; pasted text is treated as UTF-8.
 */
function unchunk(text) {
  const bytes = new TextEncoder().encode(text);
  const out = [];
  let i = 0;
  const readLine = () => {
    let j = i;
    while (j < bytes.length && bytes[j] !== 0x0a) j++;
    if (j >= bytes.length) return null;
    const line = latin1(bytes.subarray(i, bytes[j - 1] === 0x0d ? j - 1 : j));
    i = j + 1;
    return line;
  };
  for (;;) {
    const line = readLine();
    if (line === null) return null;
    const size = parseInt(line.split(';')[0].trim(), 16);
    if (!Number.isFinite(size) || size < 0) return null;
    if (size === 0) break;
    if (i + size > bytes.length) return null;
    out.push(bytes.subarray(i, i + size));
    i += size;
    if (bytes[i] === 0x0d) i++;
    if (bytes[i] === 0x0a) i++;
  }
  const total = out.reduce((n, c) => n + c.length, 0);
  const joined = new Uint8Array(total);
  let o = 0;
  for (const c of out) {
    joined.set(c, o);
    o += c.length;
  }
  return new TextDecoder().decode(joined);
}

/**
 * Looks at what was pasted or dropped. `input` is a string, or the bytes of a dropped file.
 * Returns { isRequest: false, body } for a plain body, or
 * { isRequest: true, method, target, version, headers: [[name, value]...], body, notes: [...] }.
 * The body keeps the type of the input (bytes stay bytes, so invalid UTF-8 is reported as such).
 */
export function splitRequest(input) {
  const isBytes = input instanceof Uint8Array;
  const head = isBytes ? latin1(input.subarray(0, 65536)) : input;
  const start = head.replace(/^\s+/, '');
  const lineEnd = start.indexOf('\n');
  const firstLine = lineEnd < 0 ? start : start.slice(0, lineEnd);
  const req = REQUEST_LINE.exec(firstLine);
  if (!req) return { isRequest: false, body: input };

  const offset = head.length - start.length;
  const end = headerEnd(head.slice(offset));
  const headText = end ? head.slice(offset, offset + end.headEnd) : head.slice(offset);
  const lines = headText.split('\n').slice(1);
  const headers = [];
  const notes = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length) {
      headers[headers.length - 1][1] += ' ' + line.trim();
      continue;
    }
    const m = HEADER_LINE.exec(line);
    if (m) headers.push([m[1], m[2]]);
    else if (line.trim()) notes.push(`Ignored a line that is not a header: ${line.trim().slice(0, 60)}`);
  }

  let body;
  if (!end) {
    body = isBytes ? new Uint8Array(0) : '';
  } else if (isBytes) {
    // Offsets in the latin1 text are byte offsets.
    body = input.subarray(offset + end.bodyStart);
  } else {
    body = input.slice(offset + end.bodyStart);
  }

  const request = {
    isRequest: true,
    method: req[1],
    target: req[2],
    version: req[3],
    headers,
    body,
    notes,
  };

  const te = header(request, 'transfer-encoding');
  if (te && /chunked/i.test(te) && typeof body === 'string') {
    const decoded = unchunk(body);
    if (decoded !== null) {
      request.body = decoded;
      notes.push('The body was sent in chunks (Transfer-Encoding: chunked); the chunks were joined.');
    }
  }
  return request;
}

/** The value of a header (first occurrence, name case-insensitive), or null. */
export function header(request, name) {
  const lower = name.toLowerCase();
  const found = request.headers.find(([n]) => n.toLowerCase() === lower);
  return found ? found[1] : null;
}

/**
 * Checks a parsed request against what DMS sends. Returns a list of
 * { name, ok: boolean, level: 'ok' | 'warn' | 'error', text }.
 */
export function checkRequest(request) {
  const checks = [];
  const dmsEvent = header(request, 'DMS-Event');
  if (dmsEvent === null) {
    checks.push({ name: 'DMS-Event', ok: false, level: 'error', text: 'The DMS-Event header is missing; DMS sends “DMS-Event: Message Hook”.' });
  } else if (dmsEvent !== 'Message Hook') {
    checks.push({ name: 'DMS-Event', ok: false, level: 'error', text: `DMS-Event is “${dmsEvent}”; DMS sends “Message Hook”.` });
  } else {
    checks.push({ name: 'DMS-Event', ok: true, level: 'ok', text: 'DMS-Event: Message Hook' });
  }

  if (request.method !== 'POST') {
    checks.push({ name: 'Method', ok: false, level: 'warn', text: `The method is ${request.method}; DMS posts (POST).` });
  }

  const type = header(request, 'Content-Type');
  if (type === null) {
    checks.push({ name: 'Content-Type', ok: false, level: 'warn', text: 'There is no Content-Type header; DMS sends application/json.' });
  } else if (!/^application\/json\b/i.test(type.trim())) {
    checks.push({ name: 'Content-Type', ok: false, level: 'warn', text: `Content-Type is “${type}”; DMS sends application/json.` });
  } else {
    checks.push({ name: 'Content-Type', ok: true, level: 'ok', text: `Content-Type: ${type}` });
  }

  const length = header(request, 'Content-Length');
  if (length !== null && /^\d+$/.test(length.trim())) {
    const declared = Number(length.trim());
    const actual = request.body instanceof Uint8Array ? request.body.length : new TextEncoder().encode(request.body).length;
    // A pasted body often loses or gains a final newline: only a real difference is worth a word.
    const trailing = typeof request.body === 'string' ? request.body.length - request.body.replace(/\s+$/, '').length : 0;
    // A text box keeps only LF line breaks: a body sent with CRLF is one byte shorter per line
    // (give or take a final line break the paste added).
    const bareLf = typeof request.body === 'string' ? (request.body.match(/(?<!\r)\n/g) ?? []).length : 0;
    const gap = declared - actual;
    if (gap > 0 && gap <= bareLf && gap >= bareLf - 2 * trailing) {
      checks.push({
        name: 'Content-Length',
        ok: true,
        level: 'ok',
        text: `Content-Length: ${declared}, the length of the body here if its line breaks were CRLF (a text box keeps only LF; that does not change what is signed unless a line break is inside a JSON string).`,
      });
    } else if (actual !== declared && !(actual > declared && actual - trailing <= declared)) {
      checks.push({
        name: 'Content-Length',
        ok: false,
        level: 'warn',
        text: `Content-Length says ${declared} bytes but the body here has ${actual}: was it cut off or changed while copying?`,
      });
    }
  }
  return checks;
}

/** A guess at the URL the request was sent to (scheme from X-Forwarded-Proto, else https), or null. */
export function requestUrl(request) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(request.target)) return request.target;
  const host = header(request, 'Host');
  if (!host || !request.target.startsWith('/')) return null;
  const proto = (header(request, 'X-Forwarded-Proto') || 'https').split(',')[0].trim().toLowerCase();
  return `${proto}://${host.trim()}${request.target}`;
}
