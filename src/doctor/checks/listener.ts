/**
 * 7. The listener runs and is reachable from outside: GET <publicUrl>/health, then POST through
 * the public address a harmless authenticated notification (a Pending step of a remote id the
 * engine never sent, `doctor-<random>`, which it only keeps aside for a few minutes and never
 * acts on) and expect 200.
 */
import { randomBytes } from 'node:crypto';
import type { ResolvedAccountConfig } from '../../config/validate';
import type { WebhookMessage } from '../../stellantis/wire';
import { DEFAULT_SECRET_HEADER } from '../../webhook';
import { failed, passed, type CheckDefinition, type CheckOutcome, type DoctorContext } from '../context';
import { knownWebhookSecret } from '../webhookSecret';
import { errorText } from '../../util/errorText';

const DEFAULT_TIMEOUT_MS = 5000;

type Answer = { status: number; body: unknown; location?: string } | { error: string };

async function call(ctx: DoctorContext, url: string, init: RequestInit): Promise<Answer> {
  const fetchImpl = ctx.opts.fetchImpl ?? fetch;
  const timeoutMs = ctx.opts.listenerTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  ctx.calls.listener++;
  try {
    const res = await fetchImpl(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // Not JSON: kept as text.
    }
    return { status: res.status, body, location: res.headers.get('location') ?? undefined };
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { error: `no answer within ${timeoutMs} ms` };
    return { error: e.cause?.code ?? errorText(err) };
  }
}

function localListener(config: ResolvedAccountConfig): string {
  const { host, port, path } = config.webhook;
  return `${host}:${port}${path}`;
}

/** TLS verification failures: the address answers, but Stellantis would refuse its certificate too. */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function unreachable(ctx: DoctorContext, url: string, why: string): CheckOutcome {
  if (UNTRUSTED_CERTIFICATE.has(why)) {
    return failed(
      `${url} answers with a certificate that is not trusted (${why})`,
      "Stellantis only calls HTTPS addresses whose certificate is valid, issued for that name and signed by a public authority: " +
        "a self-signed certificate cannot work. Use one from Let's Encrypt (Caddy gets it by itself) or a tunnel that provides one",
    );
  }
  const config = ctx.config;
  const local = config ? localListener(config) : 'the listener';
  return failed(
    `nothing answers at ${url} (${why})`,
    `make sure Homebridge/Node-RED runs with this account (the listener runs inside it, on ${local}) and that your reverse proxy or tunnel forwards ${url} to it`,
  );
}

function byStatus(ctx: DoctorContext, what: string, url: string, a: { status: number; location?: string }): CheckOutcome {
  const path = ctx.config?.webhook.path ?? '/stellantis/webhook';
  if (a.status >= 300 && a.status < 400) {
    return failed(`${what} ${url} answered with a redirect (HTTP ${a.status}) to ${a.location ?? '?'}`, 'Stellantis does not follow redirects: set webhook.publicUrl to the final https address');
  }
  if (a.status === 404 || a.status === 405) {
    return failed(
      `${what} ${url} reached a server, but not the listener (HTTP ${a.status})`,
      `webhook.publicUrl must lead to the listener's path (webhook.path ${path}): check the proxy's path forwarding`,
    );
  }
  if (a.status === 401) {
    return failed(
      `the listener at ${url} refused our secret header (HTTP 401): it runs with another webhook secret`,
      'run the doctor with the storage folder Homebridge/Node-RED use (--storage), or set the same webhook.secret everywhere and restart',
    );
  }
  if (a.status === 429) return failed(`the listener at ${url} is refusing this address after repeated failures (HTTP 429)`, 'wait a minute and run the doctor again');
  if (a.status === 502 || a.status === 503 || a.status === 504) {
    return failed(`${what} ${url}: the proxy answered HTTP ${a.status} (it cannot reach the listener)`, `start Homebridge/Node-RED and check the proxy forwards to ${ctx.config ? localListener(ctx.config) : 'the listener'}`);
  }
  return failed(`${what} ${url} answered HTTP ${a.status}, expected 200`, 'check that webhook.publicUrl leads to this listener (and nothing else in between rewrites the request)');
}

/** Our listener's health answer: its status, nothing else (it tells anyone who asks). */
function isOurHealth(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'ok';
}

export function doctorMessage(callbackId: string, now: number): WebhookMessage {
  return {
    callbackId,
    type: 'Remote',
    date: new Date(now).toISOString(),
    remoteEvent: { remoteActionId: `doctor-${randomBytes(6).toString('hex')}`, eventStatus: { type: 'Pending', status: 'Accepted' } },
  };
}

export const listenerCheck: CheckDefinition = {
  id: 'listener',
  title: 'Webhook listener reachable',
  needs: ['config'],
  async run(ctx) {
    const config = ctx.config;
    if (!config) return failed('no configuration', 'fix the configuration first');
    const simulatorTarget = config.simulator ? ctx.callback?.subscribe?.callback?.webhook?.target : undefined;
    const publicUrl = config.webhook.publicUrl ?? simulatorTarget;
    if (!publicUrl) return failed('no public address to test', 'set webhook.publicUrl (the address Stellantis POSTs to)');
    const base = publicUrl.replace(/\/+$/, '');

    const healthUrl = `${base}/health`;
    const health = await call(ctx, healthUrl, { method: 'GET' });
    if ('error' in health) return unreachable(ctx, healthUrl, health.error);
    if (health.status !== 200) return byStatus(ctx, 'the health check', healthUrl, health);
    if (!isOurHealth(health.body)) return failed(`${healthUrl} answered 200, but not as our listener does`, `webhook.publicUrl must lead to the listener (${localListener(config)}), not to another service`);

    const known = await knownWebhookSecret(config, ctx.opts.storageDir);
    if (known.secret === undefined) {
      return failed(
        `the listener answers at ${base}, but ${known.problem}`,
        'start Homebridge/Node-RED once with this configuration, and run the doctor with the storage folder they use (--storage)',
      );
    }
    ctx.secrets.add(known.secret);
    const message = doctorMessage(ctx.callback?.id ?? 'doctor', ctx.now());
    const post = await call(ctx, base, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [DEFAULT_SECRET_HEADER]: known.secret },
      body: JSON.stringify(message),
    });
    if ('error' in post) return unreachable(ctx, base, post.error);
    if (post.status !== 200) return byStatus(ctx, 'a test notification to', base, post);
    return passed(`the listener answers at ${base} and accepted an authenticated test notification`);
  },
};
