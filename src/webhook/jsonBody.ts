/**
 * Reads a notification body: UTF-8 JSON whose top level is an object or an array, within a size
 * limit, optionally gzip/deflate/br-encoded. A lean reader rather than a general body parser,
 * because it runs for every notification (see bench/ingestion.ts).
 */
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import * as zlib from 'node:zlib';

export type BodyResult = { ok: true; body: unknown } | { ok: false; status: number; error: string };

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** '1mb', '512kb', 2048 → bytes (the forms listenerOptions accepts). */
function sizeInBytes(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
  if (!m) throw new Error(`not a size: ${limit}`);
  return Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]);
}

const MALFORMED = 'malformed JSON: expected a notification object or an array of them';
const EMPTY = 'empty body: expected a notification object or an array of them';

function refused(status: number, error: string): BodyResult {
  return { ok: false, status, error };
}

const PLAIN_JSON: Readonly<{ type: string; charset?: string }> = Object.freeze({ type: 'application/json' });

/** The media type and charset of a Content-Type header, lower-cased. */
function contentType(header: string | undefined): Readonly<{ type: string; charset?: string }> | undefined {
  if (!header) return undefined;
  if (header === 'application/json') return PLAIN_JSON;
  const [type, ...params] = header.split(';');
  const charset = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  return { type: type.trim().toLowerCase(), charset: charset?.slice('charset='.length).replace(/"/g, '') };
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** As HTTP frames it: a request has a body (maybe empty) when it says how it is sent. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
}

function decoded(req: IncomingMessage): IncomingMessage | Transform | undefined {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  switch (encoding) {
    case 'identity':
      return req;
    case 'gzip':
      return req.pipe(zlib.createGunzip());
    case 'deflate':
      return req.pipe(zlib.createInflate());
    case 'br':
      return req.pipe(zlib.createBrotliDecompress());
    default:
      return undefined;
  }
}

/** Parses bytes that must hold a JSON object or array (a bare scalar is no notification). */
function parse(text: string): BodyResult {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  if (i === text.length) return refused(400, EMPTY);
  if (text[i] !== '{' && text[i] !== '[') return refused(400, MALFORMED);
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return refused(400, MALFORMED);
  }
}

/** A body size limit: bytes, and the text it was given as (for the 413 message). */
export interface BodyLimit {
  bytes: number;
  text: string;
}

export function bodyLimit(limit: string | number): BodyLimit {
  return { bytes: sizeInBytes(limit), text: String(limit) };
}

export function readJsonBody(req: IncomingMessage, limit: BodyLimit, done: (result: BodyResult) => void): void {
  const type = contentType(req.headers['content-type']);
  if (!type || !isJsonType(type.type)) {
    done(type || hasBody(req) ? refused(415, 'unsupported content type: send application/json') : refused(400, EMPTY));
    req.resume();
    return;
  }
  if (type.charset !== undefined && type.charset !== 'utf-8' && type.charset !== 'utf8') {
    done(refused(415, 'unsupported charset or content encoding: send UTF-8 JSON'));
    req.resume();
    return;
  }
  const max = limit.bytes;
  const tooLarge = (): BodyResult => refused(413, `body larger than the limit (${limit.text})`);
  if (Number(req.headers['content-length'] ?? 0) > max) {
    done(tooLarge());
    req.resume();
    return;
  }
  const stream = decoded(req);
  if (!stream) {
    done(refused(415, 'unsupported charset or content encoding: send UTF-8 JSON'));
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const finish = (result: BodyResult): void => {
    if (settled) return;
    settled = true;
    done(result);
  };
  /** No more decoding (a small compressed body may inflate to gigabytes); the rest is drained unread, so the answer reaches a client still sending. */
  const stopReading = (): void => {
    chunks.length = 0;
    if (stream instanceof Transform) {
      req.unpipe(stream);
      stream.destroy();
    }
    req.resume();
  };
  stream.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > max) {
      finish(tooLarge());
      stopReading();
      return;
    }
    chunks.push(chunk);
  });
  stream.on('end', () => finish(parse(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'))));
  stream.on('error', () => {
    finish(refused(400, 'could not read the request body'));
    stopReading();
  });
}
