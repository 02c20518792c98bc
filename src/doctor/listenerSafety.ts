/** Listener settings that work but expose something: warned about by the configuration check. */
import { isIP } from 'node:net';
import type { ResolvedAccountConfig } from '../config/validate';
import { normalizeAddress, trustsEveryone } from '../webhook/clientAddress';

export function isLoopbackHost(host: string): boolean {
  const h = normalizeAddress(host.trim().replace(/^\[|\]$/g, '').toLowerCase());
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

export function listenerWarnings(config: ResolvedAccountConfig): string[] {
  const { host, https, trustProxy } = config.webhook;
  const out: string[] = [];
  if (!https && !isLoopbackHost(host)) {
    out.push(
      `warning: webhook.host ${host} opens the plain-HTTP listener beyond this machine, so the webhook secret crosses the network in clear; ` +
        'unless your reverse proxy runs on another machine of a network you trust, remove webhook.host (the default, 127.0.0.1, takes a proxy on this machine)',
    );
  }
  if (trustsEveryone(trustProxy)) {
    out.push(
      'warning: webhook.trustProxy true believes any X-Forwarded-For, which the sender writes, so anyone can choose the address the failed-login limit counts; ' +
        "set it to 'loopback' when the proxy runs on this machine, or to the proxy's address",
    );
  }
  return out;
}
