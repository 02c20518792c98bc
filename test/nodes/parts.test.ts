/**
 * The nodes' small parts on their own: message -> action/vehicle rules, status texts, URL
 * building, and mounting/unmounting a router on both Express 4 (Node-RED 4's RED.httpNode) and
 * Express 5 (the project's, as Node-RED 5 may use).
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { actionFor, looseActionFor, parsePointLines, vehicleFor } from '../../nodes/src/lib/remoteInput';
import { ACTION_WORDS } from '../../src/vocabulary/actionWords';
import { endStatus, failureLabel, progressStatus, words } from '../../nodes/src/lib/statusText';
import { doneLabel } from '../../src/vocabulary/actionPhrases';
import { countMounted, joinPaths, mountOnApp, publicWebhookUrl, httpNodeRoot } from '../../nodes/src/lib/httpNodeMount';
import { accountConfigOf, webhookPathOf } from '../../nodes/src/lib/accountSettings';
import type { HttpApp } from '../../nodes/src/lib/red';
import { FAILURE_CAUSES } from '../../src/stellantis/wire';
import { validateAccountConfig } from '../../src/config/validate';
import { requireFromNodeRed } from '../helpers/hostModules';

describe('remote node message rules', () => {
  it('turns every action word of the editor into a valid action', () => {
    const params: Record<string, Record<string, unknown>> = {
      'precondition-programs': { programs: [{ slot: 2, days: ['Sat', 'Sun'], start: '09:15', enabled: true }] },
      'charge-at': { at: '22:00' },
      'charge-preferences': { level: '4', chargeType: 'Partial' },
      navigate: { points: '48.85,2.29\n45.75, 4.85' },
    };
    for (const word of Object.keys(ACTION_WORDS)) {
      const action = actionFor({ action: word, ...params[word] }, {});
      assert.ok(action.kind.length > 0, word);
    }
    assert.deepEqual(actionFor({ action: 'navigate', points: '48.85,2.29\n45.75, 4.85' }, {}), {
      kind: 'navigate',
      points: [
        { lat: 48.85, lon: 2.29 },
        { lat: 45.75, lon: 4.85 },
      ],
    });
    assert.deepEqual(actionFor({ action: 'charge-preferences', level: '4', chargeType: 'Partial' }, {}), { kind: 'charge-preferences', level: 4, type: 'Partial' });
    assert.deepEqual(actionFor({ action: 'precondition-programs', deleteSlots: '3, 4' }, {}), { kind: 'precondition-programs', delete: [3, 4] });
  });

  it('applies message overrides as documented, and ignores them when blocked', () => {
    const lock = { action: 'lock', allowOverride: true };
    assert.deepEqual(looseActionFor(lock, { payload: 'Unlock' }), { action: 'unlock' });
    assert.deepEqual(looseActionFor(lock, { payload: false }), { action: 'unlock' });
    assert.deepEqual(looseActionFor({ action: 'charge-stop' }, { payload: true }), { action: 'charge', on: true });
    assert.deepEqual(looseActionFor({ action: 'mobilize' }, { payload: true }), { action: 'immobilize', on: true });
    assert.deepEqual(looseActionFor(lock, { payload: 1700000000000 }), { action: 'lock' });
    assert.deepEqual(looseActionFor(lock, { payload: { action: 'precondition', on: 'off' } }), { action: 'precondition', on: 'off' });
    assert.deepEqual(looseActionFor({ action: 'charge-at', at: '06:00' }, { payload: { at: '07:00' } }), { action: 'charge-at', at: '07:00' });
    assert.deepEqual(looseActionFor({ action: 'charge-at', at: '06:00' }, { payload: 'charge-at' }), { action: 'charge-at', at: '06:00' });
    assert.deepEqual(looseActionFor({ action: 'lock', allowOverride: false }, { payload: 'unlock' }), { action: 'lock' });
    assert.throws(() => looseActionFor({ action: 'horn' }, { payload: false }), /'horn' has no off; send true/);
    assert.throws(() => looseActionFor({ action: '' }, {}), /no action chosen/);
    assert.throws(() => actionFor(lock, { payload: { action: 'navigate', points: [{ lat: 0, lon: 181 }] } }), /bad navigate request: points\[0\]\.lon/);
    assert.deepEqual(parsePointLines('1,2;3,4\n\n bad '), [{ lat: 1, lon: 2 }, { lat: 3, lon: 4 }, 'bad']);
  });

  it('picks the vehicle from the message, the node, the account display names or the only car', () => {
    const choice = { ids: ['v1', 'v2'], names: new Map([['v2', 'Blue e-208']]) };
    assert.equal(vehicleFor('v1', { vehicle: 'v2' }, true, choice), 'v2');
    assert.equal(vehicleFor('v1', { vehicle: 'v2' }, false, choice), 'v1');
    assert.equal(vehicleFor(undefined, { vehicle: 'blue E-208' }, true, choice), 'v2');
    assert.equal(vehicleFor(undefined, {}, true, { ids: ['only'] }), 'only');
    assert.throws(() => vehicleFor(undefined, {}, true, choice), /no vehicle: pick one in the node or send msg.vehicle = one of: v1, v2/);
    assert.throws(() => vehicleFor(undefined, { vehicle: 42 }, true, choice), /msg.vehicle must be a vehicle id/);
  });
});

describe('remote node status texts', () => {
  it('has a short failure text for every failure cause and a label for every action', () => {
    for (const cause of FAILURE_CAUSES) {
      const text = failureLabel({ result: 'Failed', failureCause: cause, at: 0 });
      assert.ok(text.length > 0 && text.length <= 26, `${cause}: '${text}'`);
    }
    assert.equal(words('DoorsOpen'), 'doors open');
    assert.equal(doneLabel({ kind: 'precondition', on: true }), 'preconditioning on');
    const at = new Date(2025, 0, 6, 7, 0).getTime();
    assert.deepEqual(endStatus({ kind: 'lock' }, { result: 'Success', at }), { fill: 'green', shape: 'dot', text: 'locked 07:00' });
    assert.deepEqual(endStatus({ kind: 'lock' }, { result: 'Failed', failureCause: 'DoorsOpen', at }), { fill: 'red', shape: 'ring', text: 'failed: doors open' });
    assert.deepEqual(endStatus({ kind: 'unlock' }, { result: 'Timeout', at }), { fill: 'red', shape: 'ring', text: 'timeout: no answer (timeout)' });
    const base = { vehicleId: 'v', requestId: 'r', action: { kind: 'lock' as const }, text: '', at };
    assert.deepEqual(progressStatus({ ...base, phase: 'pending', pendingStatus: 'WakingUpVehicle' }), { fill: 'yellow', shape: 'ring', text: 'waking vehicle' });
    assert.deepEqual(progressStatus({ ...base, phase: 'pending', pendingStatus: 'SentToVehicle' }), { fill: 'blue', shape: 'dot', text: 'sent to vehicle' });
  });
});

describe('account node settings and webhook URLs', () => {
  it('builds the public URL with httpNodeRoot, and a path of its own per account node', () => {
    assert.equal(joinPaths('/red/', '/stellantis/webhook'), '/red/stellantis/webhook');
    assert.equal(joinPaths('/', ''), '/');
    assert.equal(httpNodeRoot({}), '/');
    assert.equal(httpNodeRoot({ httpNodeRoot: false }), undefined);
    assert.equal(publicWebhookUrl('https://cars.example.org/', '/stellantis/webhook/a1', '/api'), 'https://cars.example.org/api/stellantis/webhook/a1');
    assert.equal(webhookPathOf({ id: 'a1.b2' }), '/stellantis/webhook/a1.b2');
    assert.equal(webhookPathOf({ id: 'a1', webhookPath: ' /car ' }), '/car');
  });

  it('makes an AccountConfig the shared validator accepts, leaving empty fields out', () => {
    const config = accountConfigOf(
      { id: 'n1', flavour: 'b2c', brand: 'peugeot', clientId: ' cid ', redirectUri: '', certFile: 'c.pem', keyFile: 'k.pem', caFile: '', vehicles: [{ id: 'v1', name: '' }, { id: '' }] },
      { clientSecret: 's3cret', passphrase: '' },
      'https://cars.example.org/stellantis/webhook/n1',
      '/data',
    );
    assert.equal(config.clientId, 'cid');
    assert.equal(config.redirectUri, undefined);
    assert.deepEqual(config.certificate, { cert: '/data/c.pem', key: '/data/k.pem' });
    assert.deepEqual(config.vehicles, [{ id: 'v1' }]);
    assert.equal(config.webhook?.label, 'node-red-stellantis-n1');
    const result = validateAccountConfig(config, { checkFiles: false, requireWebhook: true });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  });
});

describe('account node webhook settings (issue 11)', () => {
  const base = { id: 'n1', flavour: 'b2c', brand: 'peugeot', clientId: 'cid', certFile: 'c.pem', keyFile: 'k.pem' };
  const resolved = (settings: Record<string, unknown>) => {
    const result = validateAccountConfig(accountConfigOf({ ...base, ...settings }, { clientSecret: 's3cret' }, 'https://cars.example.org/hook', '/data'), {
      checkFiles: false,
      requireWebhook: true,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.config.webhook;
  };

  it('point 1: the account node passes its trusted proxy on (a hop count as a number), in both webhook modes', () => {
    assert.equal(resolved({ trustProxy: ' loopback ' }).trustProxy, 'loopback');
    assert.equal(resolved({ trustProxy: '10.0.0.2, 10.0.0.3', webhookMode: 'port' }).trustProxy, '10.0.0.2, 10.0.0.3');
    assert.equal(resolved({ trustProxy: '1' }).trustProxy, 1);
    assert.equal(resolved({ trustProxy: '' }).trustProxy, undefined);
    const result = validateAccountConfig(accountConfigOf({ ...base, trustProxy: 'my-proxy' }, { clientSecret: 's3cret' }, 'https://x.example/h'), { checkFiles: false });
    assert.ok(!result.ok && result.problems.some((p) => p.key === 'webhook.trustProxy'), 'an unreadable value is a configuration problem');
  });

  it('point 2: on a port of its own, the listener binds loopback unless Host says otherwise', () => {
    assert.equal(resolved({ webhookMode: 'port', listenPort: 8800 }).host, '127.0.0.1');
    assert.equal(resolved({ webhookMode: 'port', listenHost: '0.0.0.0' }).host, '0.0.0.0');
  });
});

describe('mounting the webhook router on RED.httpNode', () => {
  // RED.httpNode is an app of Node-RED's own Express (4 in Node-RED 4); the project's is Express 5.
  const nodeRedExpress = requireFromNodeRed<typeof express>('express');
  const nodeRedExpressVersion = requireFromNodeRed<{ version: string }>('express/package.json').version;

  for (const [name, make] of [
    [`Node-RED's Express ${nodeRedExpressVersion}`, () => nodeRedExpress()],
    ['Express 5', () => express()],
  ] as const) {
    it(`adds and removes exactly its router on ${name}`, async () => {
      const app = make();
      app.get('/other', (_req, res) => void res.send('other'));
      const router = express.Router();
      router.post('/hook', (_req, res) => void res.json({ ok: true }));
      const server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const unmount = mountOnApp(app as unknown as HttpApp, router);
        assert.equal(countMounted(app as unknown as HttpApp, router), 1);
        assert.equal((await fetch(`${base}/hook`, { method: 'POST' })).status, 200);
        unmount();
        unmount();
        assert.equal(countMounted(app as unknown as HttpApp, router), 0);
        assert.equal((await fetch(`${base}/hook`, { method: 'POST' })).status, 404);
        assert.equal(await (await fetch(`${base}/other`)).text(), 'other', 'other routes stay');
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  }
});
