/**
 * The client's address behind reverse proxies, with Express's 'trust proxy' vocabulary, computed here
 * because the router is mounted into apps whose settings it does not control (Node-RED's httpNode).
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export type TrustProxy = boolean | string | number;

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
        `webhook trustProxy: '${entry}' is not an IP address, a CIDR range (e.g. 10.0.0.0/8) or one of loopback, linklocal, uniquelocal`,
      );
    }
    list.addSubnet(ip, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
}

export function compileTrust(trust: TrustProxy | undefined): TrustFunction {
  if (trust === undefined || trust === false || trust === 'false' || trust === '') return () => false;
  if (trust === true || trust === 'true') return () => true;
  if (typeof trust === 'number' || /^\s*\d+\s*$/.test(trust)) {
    const hops = Number(trust);
    if (!Number.isInteger(hops) || hops < 0) {
      throw new Error(`webhook trustProxy: a hop count must be a whole number of at least 0 (got ${String(trust)})`);
    }
    return (_address, hopIndex) => hopIndex < hops;
  }
  const list = new BlockList();
  for (const entry of trust.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) addEntry(list, entry);
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

/** Walks from the socket peer back through X-Forwarded-For while the current hop is trusted. */
export function clientAddress(req: IncomingMessage, trust: TrustFunction): string | undefined {
  const peer = req.socket.remoteAddress;
  if (peer === undefined) return undefined;
  if (req.headers['x-forwarded-for'] === undefined) return normalizeAddress(peer);
  const chain = [peer, ...forwardedFor(req).reverse()];
  let i = 0;
  while (i < chain.length - 1 && trust(chain[i], i)) i++;
  return normalizeAddress(chain[i]);
}
