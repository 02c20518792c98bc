/** B2B v3 routes under /connectedcar/v3/fleets/{fid} (fleet-owner API, Basic auth). */
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
import { motorizationOf, requestedExtensions, vehicleExtension, vehicleJson } from './vehicles';
import { callbackRef, callbackView, monitorRef, monitorView, remoteView } from './views';
import type { SimVehicleState } from './types';

export function b2bRouter(sim: Simulation, deps: GatewayDeps, base: string): Router {
  const r = gateway('b2b', deps);
  const api = express.Router({ mergeParams: true });
  r.use('/fleets/:fid', (req, _res, next) => {
    const fid = String(req.params.fid);
    if (fid !== deps.account.fleetId) throw new ApiError(403, `Fleet ${fid} is not accessible with these credentials`, 2);
    next();
  });
  r.use('/fleets/:fid', api);
  // Capabilities by VIN (spec: getVehiclesCapabilities, schema VehicleCapabilities).
  r.get('/vehicles/:vin', (req, res) => {
    const vin = String(req.params.vin);
    if (vin === sim.fleet.foreign.vin) throw new ApiError(403, 'This vehicle does not belong to the fleet', 2);
    const v = sim.fleet.vehicles.find((x) => x.vin === vin);
    if (!v) throw new ApiError(404, `Vehicle ${vin} not found`, 99);
    const ext = requestedExtensions(req.query);
    const extension = vehicleExtension(v, ext.length ? ext : ['onboardCapabilities'], 'b2b');
    hal(res, 200, { vin: v.vin, motorization: motorizationOf(v), createdAt: nowIso(v.updatedAt), ...(extension ? { _embedded: { extension } } : {}) });
  });
  apiTail(r);

  const fleetHref = `${base}/fleets/${deps.account.fleetId}`;
  const vehicleHref = (id: string) => `${fleetHref}/vehicles/${id}`;
  const callbackHref = (id: string) => `${fleetHref}/remote/callbacks/${id}`;
  const remotesHref = (vid: string, cbid: string) => `${vehicleHref(vid)}/callbacks/${cbid}/remotes`;

  function vehicle(req: Request): SimVehicleState {
    const id = String(req.params.vid);
    if (sim.fleet.isForeign(id)) throw new ApiError(403, 'This vehicle does not belong to the fleet', 2);
    const v = sim.fleet.find(id);
    if (!v) throw new ApiError(404, `Vehicle ${id} not found in the fleet`, 99);
    return v;
  }

  // The fleet list offers only branding and pictures (VehiclesExtensionType); one vehicle also onboardCapabilities.
  api.get('/vehicles', (req, res) => {
    const ext = requestedExtensions(req.query).filter((e) => e !== 'onboardCapabilities');
    const all = sim.fleet.vehicles.map((v) => vehicleJson(v, vehicleHref(v.id), { rel: 'fleet', href: fleetHref }, vehicleExtension(v, ext, 'b2b')));
    hal(res, 200, paginate(all, req.query, `${fleetHref}/vehicles`, 'vehicles'));
  });

  api.get('/vehicles/:vid', (req, res) => {
    const v = vehicle(req);
    hal(res, 200, vehicleJson(v, vehicleHref(v.id), { rel: 'fleet', href: fleetHref }, vehicleExtension(v, requestedExtensions(req.query), 'b2b')));
  });

  api.get('/vehicles/:vid/status', (req, res) => {
    const v = vehicle(req);
    const status = statusJson(v, `${vehicleHref(v.id)}/status`, vehicleHref(v.id), { fleet: { href: fleetHref } });
    hal(res, 200, { ...status, vin: v.vin });
  });

  // Deprecated in the spec, still served: every car's status, a page (at most 60) per call.
  api.get('/status', (req, res) => {
    const view = (v: SimVehicleState) => ({ ...statusJson(v, `${vehicleHref(v.id)}/status`, vehicleHref(v.id), { fleet: { href: fleetHref } }), vin: v.vin });
    hal(res, 200, paginate(sim.fleet.vehicles, req.query, `${fleetHref}/status`, 'status', view));
  });

  const monitorHref = (id: string) => `${fleetHref}/monitors/${id}`;
  const fleetLink = { fleet: { href: fleetHref } };

  api.get('/monitors', (req, res) => {
    const all = [...sim.monitors.values()].filter((m) => m.flavour === 'b2b').map((m) => monitorView(m, monitorHref(m.id), fleetLink));
    hal(res, 200, paginate(all, req.query, `${fleetHref}/monitors`, 'monitors'));
  });

  api.post('/monitors', (req, res) => {
    const m = sim.addFleetMonitor(req.body);
    hal(res, 202, monitorRef(m, monitorHref(m.id), fleetLink));
  });

  api.get('/monitors/:mid', (req, res) => {
    const m = sim.fleetMonitor(String(req.params.mid));
    hal(res, 200, monitorView(m, monitorHref(m.id), fleetLink));
  });

  api.put('/monitors/:mid', (req, res) => {
    const m = sim.updateMonitor(sim.fleetMonitor(String(req.params.mid)), req.body);
    hal(res, 202, monitorRef(m, monitorHref(m.id), fleetLink));
  });

  api.delete('/monitors/:mid', (req, res) => {
    sim.deleteMonitor(sim.fleetMonitor(String(req.params.mid)));
    res.status(204).end();
  });

  api.put('/monitors/:mid/status', (req, res) => {
    const m = sim.setMonitorStatus(sim.fleetMonitor(String(req.params.mid)), (req.body as Record<string, unknown> | undefined)?.status);
    hal(res, 202, monitorRef(m, monitorHref(m.id), fleetLink));
  });

  api.get('/remote/callbacks', (req, res) => {
    const types = typeof req.query.types === 'string' ? req.query.types.split(',') : undefined;
    const all = [...sim.callbacks.values()]
      .filter((cb) => cb.flavour === 'b2b')
      .filter((cb) => !types || (cb.remoteTypes ?? []).some((t) => types.includes(t)))
      .map((cb) => callbackView(cb, callbackHref(cb.id), { fleet: { href: fleetHref } }));
    hal(res, 200, paginate(all, req.query, `${fleetHref}/remote/callbacks`, 'callbacks'));
  });

  api.post('/remote/callbacks', (req, res) => {
    const cb = sim.addCallback(parseSubscribe(req.body, 'b2b'));
    hal(res, 200, callbackRef(cb, callbackHref(cb.id), { fleet: { href: fleetHref } }));
  });

  api.get('/remote/callbacks/:cbid', (req, res) => {
    const cb = sim.callback(String(req.params.cbid), 'b2b');
    hal(res, 200, callbackView(cb, callbackHref(cb.id), { fleet: { href: fleetHref } }));
  });

  api.put('/remote/callbacks/:cbid', (req, res) => {
    const id = String(req.params.cbid);
    sim.callback(id, 'b2b');
    const cb = sim.replaceCallback(id, 'b2b', parseSubscribe(req.body, 'b2b'));
    hal(res, 202, callbackRef(cb, callbackHref(cb.id), { fleet: { href: fleetHref } }));
  });

  api.delete('/remote/callbacks/:cbid', (req, res) => {
    sim.deleteCallback(String(req.params.cbid), 'b2b');
    res.status(204).end();
  });

  api.put('/remote/callbacks/:cbid/status', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const cb = sim.setCallbackStatus(String(req.params.cbid), 'b2b', body.status);
    hal(res, 202, callbackRef(cb, callbackHref(cb.id), { fleet: { href: fleetHref } }));
  });

  api.post('/vehicles/:vid/callbacks/:cbid/remotes', (req, res) => {
    const v = vehicle(req);
    const cb = sim.callback(String(req.params.cbid), 'b2b');
    const checked = checkRemoteBody(req.body, 'b2b');
    checkCapabilities(v.capabilities, checked);
    const remote = sim.sendRemote('b2b', v.id, cb, checked);
    hal(res, 202, {
      remoteActionId: remote.id,
      type: remote.type,
      _links: {
        remote: { href: `${remotesHref(v.id, cb.id)}/${remote.id}` },
        callback: { href: callbackHref(cb.id) },
        fleet: { href: fleetHref },
      },
    });
  });

  api.get('/vehicles/:vid/callbacks/:cbid/remotes', (req, res) => {
    const v = vehicle(req);
    const cb = sim.callback(String(req.params.cbid), 'b2b');
    const all = sim.remotesOf(v.id, cb.id).map((rm) => remoteView(rm, `${remotesHref(v.id, cb.id)}/${rm.id}`, callbackHref(cb.id)));
    hal(res, 200, paginate(all, req.query, remotesHref(v.id, cb.id), 'remoteActions'));
  });

  api.get('/vehicles/:vid/callbacks/:cbid/remotes/:rid', (req, res) => {
    const v = vehicle(req);
    const cb = sim.callback(String(req.params.cbid), 'b2b');
    const rm = sim.remotes.get(String(req.params.rid));
    if (!rm || rm.vehicleId !== v.id || rm.callbackId !== cb.id) throw new ApiError(404, `Remote action ${String(req.params.rid)} not found`, 6);
    hal(res, 200, remoteView(rm, `${remotesHref(v.id, cb.id)}/${rm.id}`, callbackHref(cb.id)));
  });

  return r;
}
