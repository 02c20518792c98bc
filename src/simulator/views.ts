/** JSON views of callbacks, remote actions and monitors, with their HAL links. */
import { nowIso } from './ids';
import type { SimCallback, SimMonitor, SimRemote } from './store';

export function callbackRef(cb: SimCallback, href: string, extra: Record<string, { href: string }> = {}) {
  return { callbackId: cb.id, status: cb.status, _links: { callback: { href }, ...extra } };
}

export function callbackView(cb: SimCallback, href: string, extra: Record<string, { href: string }> = {}) {
  return {
    id: cb.id,
    ...(cb.label !== undefined ? { label: cb.label } : {}),
    status: cb.status,
    subscribe: cb.subscribe,
    _links: { self: { href }, ...extra },
  };
}

export function remoteView(r: SimRemote, href: string, callbackHref: string) {
  return {
    remoteActionId: r.id,
    type: r.type,
    status: r.status,
    ...(r.failureCause ? { failureCause: r.failureCause } : {}),
    remote: r.body,
    _links: { self: { href }, callback: { href: callbackHref } },
  };
}

export function monitorView(m: SimMonitor, href: string, extra: Record<string, { href: string }> = {}) {
  return {
    monitorId: m.id,
    status: m.status,
    monitor: m.parameter,
    createdAt: nowIso(m.createdAt),
    updatedAt: nowIso(m.updatedAt),
    _links: { self: { href }, ...extra },
  };
}

export function monitorRef(m: SimMonitor, href: string, extra: Record<string, { href: string }> = {}) {
  return { monitorId: m.id, status: m.status, createdAt: nowIso(m.createdAt), updatedAt: nowIso(m.updatedAt), _links: { monitor: { href }, ...extra } };
}
