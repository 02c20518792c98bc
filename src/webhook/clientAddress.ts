/**
 * The client's address behind reverse proxies, with Express's 'trust proxy' vocabulary, computed here
 * because the router is mounted into apps whose settings it does not control (Node-RED's httpNode).
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { cutShort } from './untrusted';

/** As Express's 'trust proxy' takes it (except a function): a boolean, a hop count, or addresses/CIDRs/names, as text or a list. */
export type TrustProxy = boolean | string | number | readonly string[];

/** The longest text kept of an address that is not an IP (an IPv6 address with a zone fits). */
export const MAX_ADDRESS_LENGTH = 64;

/** Is the hop at `address`, `hopIndex` hops away from us (0 = the socket peer), a proxy we believe? */
export type TrustFunction = (address: string, hopIndex: number) => boolean;

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** '::ffff:10.1.2.3' -> '10.1.2.3', so IPv4 rules match on dual-stack sockets. */
export function normalizeAddress(address: string): string {
  if (!address.startsWith('::')) return address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address;
}

function addEntry(list: BlockList, entry: string): void {
  for (const range of NAMED_RANGES[entry.toLowerCase()] ?? [entry]) {
    const [ip, prefixText, extra] = range.split('/');
    const family = isIP(ip);
    const maxPrefix = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (family === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) {
      throw new Error(
        `webhook trustProxy: '${entry.length > MAX_ADDRESS_LENGTH ? `${cutShort(entry, MAX_ADDRESS_LENGTH)}...` : entry}' is not an IP address, a CIDR range (e.g. 10.0.0.0/8) or one of loopback, linklocal, uniquelocal`,
      );
    }
    list.addSubnet(ip, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
}

export function compileTrust(trust: TrustProxy | undefined): TrustFunction {
  if (Array.isArray(trust)) return compileList(trust);
  if (trust === undefined || trust === false || trust === 'false' || trust === '') return () => false;
  if (trust === true || trust === 'true') return () => true;
  if (typeof trust === 'number' || (typeof trust === 'string' && /^\s*\d+\s*$/.test(trust))) {
    const hops = Number(trust);
    if (!Number.isInteger(hops) || hops < 0) {
      throw new Error(`webhook trustProxy: a hop count must be a whole number of at least 0 (got ${String(trust)})`);
    }
    return (_address, hopIndex) => hopIndex < hops;
  }
  if (typeof trust !== 'string') {
    throw new Error(`webhook trustProxy: give true/false, a hop count, or addresses such as 'loopback' or '10.0.0.2' (got ${typeof trust})`);
  }
  return compileList(trust.split(','));
}

function compileList(entries: readonly unknown[]): TrustFunction {
  const list = new BlockList();
  for (const entry of entries) {
    if (typeof entry !== 'string') {
      throw new Error(`webhook trustProxy: a list must hold addresses as text, such as 'loopback' or '10.0.0.2' (got ${typeof entry})`);
    }
    const trimmed = entry.trim();
    if (trimmed.length > 0) addEntry(list, trimmed);
  }
  return (address) => {
    const normalized = normalizeAddress(address);
    const family = isIP(normalized);
    return family !== 0 && list.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
  };
}

function forwardedFor(req: IncomingMessage): string[] {
  const header = req.headers['x-forwarded-for'];
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * An address as we keep and log it: X-Forwarded-For is written by the client, so a value that is
 * not an IP is cut short (it keys the failure limiter and appears in log lines).
 */
function bounded(address: string): string {
  const normalized = normalizeAddress(address);
  if (normalized.length <= MAX_ADDRESS_LENGTH || isIP(normalized) !== 0) return normalized;
  return `${cutShort(normalized, MAX_ADDRESS_LENGTH)}...`;
}

/** Walks from the socket peer back through X-Forwarded-For while the current hop is trusted. */
export function clientAddress(req: IncomingMessage, trust: TrustFunction): string | undefined {
  const peer = req.socket.remoteAddress;
  if (peer === undefined) return undefined;
  if (req.headers['x-forwarded-for'] === undefined) return normalizeAddress(peer);
  const chain = [peer, ...forwardedFor(req).reverse()];
  let i = 0;
  while (i < chain.length - 1 && trust(chain[i], i)) i++;
  return bounded(chain[i]);
}

/** Whether a trustProxy setting believes any X-Forwarded-For at all. */
export function trustsAnyProxy(trust: TrustProxy | undefined): boolean {
  if (Array.isArray(trust)) return trust.some((e) => typeof e === 'string' && e.trim() !== '');
  return ![undefined, false, 'false', '', 0, '0'].includes(trust as string | number | boolean | undefined);
}

/** `true` believes whatever the client writes in X-Forwarded-For: the address used for rate limiting is then the attacker's choice. */
export function trustsEveryone(trust: TrustProxy | undefined): boolean {
  return trust === true || (typeof trust === 'string' && trust.trim().toLowerCase() === 'true');
}
