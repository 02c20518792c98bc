/** Small HTTP helpers to tell when each part of the demo answers. */
import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One request; rejects on a network error or after `timeoutMs`. `ca` trusts the demo's CA for https URLs. */
export function httpRequest(url: string, opts: { method?: string; body?: unknown; ca?: string; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const send = target.protocol === 'https:' ? https.request : http.request;
    const req = send(
      target,
      {
        method: opts.method ?? 'GET',
        timeout: opts.timeoutMs ?? 5000,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        ...(target.protocol === 'https:' && opts.ca ? { ca: opts.ca } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs ?? 5000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it returns true; rejects with `what` when `deadline` (epoch ms) passes or
 * `abort()` returns a reason (a child exited).
 */
export async function waitUntil(what: string, check: () => Promise<boolean>, deadline: number, abort: () => string | undefined): Promise<void> {
  for (;;) {
    const reason = abort();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready in time`);
    await sleep(250);
  }
}
