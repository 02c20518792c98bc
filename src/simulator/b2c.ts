/** B2C v4 routes under /connectedcar/v4 (end-user API). */
import express, { type Request, type Router } from 'express';
import { checkCapabilities } from './capabilities';
import { ApiError } from './errors';
import { apiTail, gateway, hal, type GatewayDeps } from './gateway';
import { nowIso } from './ids';
import { paginate } from './paging';
import { checkRemoteBody } from './remoteCheck';
import type { Simulation } from './simulation';
import { parseSubscribe } from './store';
import { statusJson } from './statusBody';
import { requestedExtensions, vehicleExtension, vehicleJson } from './vehicles';
import { callbackRef, callbackView, monitorRef, monitorView, remoteView } from './views';
import type { SimVehicleState } from './types';

export function b2cRouter(sim: Simulation, deps: GatewayDeps, base: string): Router {
  const r = gateway('b2c', deps);
  const api = express.Router({ mergeParams: true });
  r.use(api);
  apiTail(r);

  const vehicleHref = (id: string) => `${base}/user/vehicles/${id}`;
  const callbackHref = (id: string) => `${base}/user/callbacks/${id}`;

  function vehicle(req: Request): SimVehicleState {
    const id = String(req.params.id);
    if (sim.fleet.isForeign(id)) throw new ApiError(403, 'This vehicle is not associated with the user of the token', 2);
    const v = sim.fleet.find(id);
    if (!v) throw new ApiError(404, `Vehicle ${id} not found`, 99);
    return v;
  }

  api.get('/user', (_req, res) => {
    const at = nowIso(Date.now() - 86_400_000);
    hal(res, 200, {
      email: deps.account.username,
      firstName: 'Sam',
      lastName: 'Simulator',
      createdAt: at,
      updatedAt: at,
      _links: { self: { href: `${base}/user` }, vehicles: { href: `${base}/user/vehicles` } },
    });
  });

  // `?extension=onboardCapabilities` (spec parameter vehicleExtension) adds what the car can do.
  api.get('/user/vehicles', (req, res) => {
    const ext = requestedExtensions(req.query);
    const all = sim.fleet.vehicles.map((v) => vehicleJson(v, vehicleHref(v.id), { rel: 'user', href: `${base}/user` }, vehicleExtension(v, ext, 'b2c')));
    hal(res, 200, paginate(all, req.query, `${base}/user/vehicles`, 'vehicles'));
  });

  api.get('/user/vehicles/:id', (req, res) => {
    const v = vehicle(req);
    hal(res, 200, vehicleJson(v, vehicleHref(v.id), { rel: 'user', href: `${base}/user` }, vehicleExtension(v, requestedExtensions(req.query), 'b2c')));
  });

  api.get('/user/vehicles/:id/status', (req, res) => {
    const v = vehicle(req);
    hal(res, 200, statusJson(v, `${vehicleHref(v.id)}/status`, vehicleHref(v.id)));
  });

  api.get('/user/callbacks', (req, res) => {
    const types = typeof req.query.types === 'string' ? req.query.types.split(',') : undefined;
    const all = [...sim.callbacks.values()]
      .filter((cb) => cb.flavour === 'b2c')
      .filter((cb) => !types || cb.types.some((t) => types.includes(t)))
      .map((cb) => callbackView(cb, callbackHref(cb.id)));
    hal(res, 200, paginate(all, req.query, `${base}/user/callbacks`, 'callbacks'));
  });

  api.post('/user/callbacks', (req, res) => {
    const cb = sim.addCallback(parseSubscribe(req.body, 'b2c'));
    hal(res, 200, callbackRef(cb, callbackHref(cb.id)));
  });

  api.get('/user/callbacks/:cbid', (req, res) => {
    const cb = sim.callback(String(req.params.cbid), 'b2c');
    hal(res, 200, callbackView(cb, callbackHref(cb.id)));
  });

  api.put('/user/callbacks/:cbid', (req, res) => {
    const id = String(req.params.cbid);
    sim.callback(id, 'b2c');
    const cb = sim.replaceCallback(id, 'b2c', parseSubscribe(req.body, 'b2c'));
    hal(res, 202, callbackRef(cb, callbackHref(cb.id)));
  });

  api.delete('/user/callbacks/:cbid', (req, res) => {
    sim.deleteCallback(String(req.params.cbid), 'b2c');
    res.status(204).end();
  });

  api.put('/user/callbacks/:cbid/status', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const cb = sim.setCallbackStatus(String(req.params.cbid), 'b2c', body.status);
    hal(res, 202, callbackRef(cb, callbackHref(cb.id)));
  });

  const remotesHref = (vid: string, cbid: string) => `${vehicleHref(vid)}/callbacks/${cbid}/remotes`;

  api.post('/user/vehicles/:id/callbacks/:cbid/remotes', (req, res) => {
    const v = vehicle(req);
    const cb = sim.callback(String(req.params.cbid), 'b2c');
    const checked = checkRemoteBody(req.body, 'b2c');
    checkCapabilities(v.capabilities, checked);
    const remote = sim.sendRemote('b2c', v.id, cb, checked);
    hal(res, 202, {
      remoteActionId: remote.id,
      type: remote.type,
      _links: { remote: { href: `${remotesHref(v.id, cb.id)}/${remote.id}` }, callback: { href: callbackHref(cb.id) } },
    });
  });

  api.get('/user/vehicles/:id/callbacks/:cbid/remotes', (req, res) => {
    const v = vehicle(req);
    const cb = sim.callback(String(req.params.cbid), 'b2c');
    const all = sim.remotesOf(v.id, cb.id).map((rm) => remoteView(rm, `${remotesHref(v.id, cb.id)}/${rm.id}`, callbackHref(cb.id)));
    hal(res, 200, paginate(all, req.query, remotesHref(v.id, cb.id), 'remoteActions'));
  });

  api.get('/user/vehicles/:id/callbacks/:cbid/remotes/:rid', (req, res) => {
    const v = vehicle(req);
    const cb = sim.callback(String(req.params.cbid), 'b2c');
    const rm = sim.remotes.get(String(req.params.rid));
    if (!rm || rm.vehicleId !== v.id || rm.callbackId !== cb.id) throw new ApiError(404, `Remote action ${String(req.params.rid)} not found`, 6);
    hal(res, 200, remoteView(rm, `${remotesHref(v.id, cb.id)}/${rm.id}`, callbackHref(cb.id)));
  });

  const monitorsHref = (vid: string, cbid: string) => `${vehicleHref(vid)}/callbacks/${cbid}/monitors`;

  api.get('/user/vehicles/:id/callbacks/:cbid/monitors', (req, res) => {
    const v = vehicle(req);
    const cb = sim.callback(String(req.params.cbid), 'b2c');
    const all = [...sim.monitors.values()]
      .filter((m) => m.flavour === 'b2c' && m.vehicleId === v.id && m.callbackId === cb.id)
      .map((m) => monitorView(m, `${monitorsHref(v.id, cb.id)}/${m.id}`));
    hal(res, 200, paginate(all, req.query, monitorsHref(v.id, cb.id), 'monitors'));
  });

  api.post('/user/vehicles/:id/callbacks/:cbid/monitors', (req, res) => {
    const v = vehicle(req);
    const cb = sim.callback(String(req.params.cbid), 'b2c');
    const m = sim.addMonitor(v.id, cb, req.body);
    hal(res, 202, monitorRef(m, `${monitorsHref(v.id, cb.id)}/${m.id}`));
  });

  api.get('/user/vehicles/:id/callbacks/:cbid/monitors/:mid', (req, res) => {
    const v = vehicle(req);
    const m = sim.monitor(v.id, String(req.params.cbid), String(req.params.mid));
    hal(res, 200, monitorView(m, `${monitorsHref(v.id, m.callbackId)}/${m.id}`));
  });

  api.put('/user/vehicles/:id/callbacks/:cbid/monitors/:mid', (req, res) => {
    const v = vehicle(req);
    const m = sim.updateMonitor(sim.monitor(v.id, String(req.params.cbid), String(req.params.mid)), req.body);
    hal(res, 202, monitorRef(m, `${monitorsHref(v.id, m.callbackId)}/${m.id}`));
  });

  api.delete('/user/vehicles/:id/callbacks/:cbid/monitors/:mid', (req, res) => {
    const v = vehicle(req);
    sim.deleteMonitor(sim.monitor(v.id, String(req.params.cbid), String(req.params.mid)));
    res.status(204).end();
  });

  api.put('/user/vehicles/:id/callbacks/:cbid/monitors/:mid/status', (req, res) => {
    const v = vehicle(req);
    const m = sim.monitor(v.id, String(req.params.cbid), String(req.params.mid));
    sim.setMonitorStatus(m, (req.body as Record<string, unknown> | undefined)?.status);
    hal(res, 202, monitorRef(m, `${monitorsHref(v.id, m.callbackId)}/${m.id}`));
  });

  return r;
}
