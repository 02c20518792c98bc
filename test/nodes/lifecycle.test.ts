/**
 * The account node's life in a real Node-RED runtime: the webhook served by RED.httpNode under
 * httpNodeRoot, redeploy with a remote in flight (router removed, remote ended clearly, then
 * resumed), two accounts side by side, the own-port mode, and misconfigured accounts.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { testPki } from '../helpers/certs';
import type { EventEmitter } from 'node:events';
import { countMounted } from '../../nodes/src/lib/httpNodeMount';
import type { RemoteProgress } from '../../src/engine/types';
import type { NodeMessage } from '../../nodes/src/lib/red';
import type { RunningSimulator } from '../../src/simulator';
import * as h from './harness';
import { callsMatching } from '../helpers/simulator';

function payloadOf(msg: NodeMessage): Record<string, unknown> {
  return msg.payload as Record<string, unknown>;
}

function errorsOf(node: EventEmitter): string[] {
  const list: string[] = [];
  node.on('call:error', (call: { args: [unknown] }) => {
    const e = call.args[0];
    list.push(e instanceof Error ? e.message : String(e));
  });
  return list;
}

function callbackCreations(sim: RunningSimulator): number {
  return callsMatching(sim, { method: 'POST', path: /\/callbacks$/, succeeded: true }).length;
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('stellantis-account node lifecycle', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let ev: string;
  let thermal: string;

  h.useNodeRed({ started: (setUp) => ({ sim, ev, thermal } = setUp) });

  it('receives the webhook through RED.httpNode under httpNodeRoot, at the loopback URL of the Node-RED server', async () => {
    h.freshSettings();
    await h.load([
      h.simAccount('acc'),
      { id: 'r', type: 'stellantis-remote', account: 'acc', action: 'unlock', vehicle: ev, wires: [['ok'], ['ko']] },
      { id: 'ok', type: 'helper' },
      { id: 'ko', type: 'helper' },
    ]);
    const account = await h.accountReady('acc');
    const expected = `${h.helper.url()}${h.NODE_ROOT}/stellantis/webhook/acc`;
    assert.equal(account.webhookUrl, expected);
    assert.equal(countMounted(h.red().httpNode, account.router), 1);
    const deliveredBefore = sim.deliveries.length;
    const ok = h.nextMessage('ok');
    h.send('r', {});
    assert.equal(payloadOf(await ok).result, 'Success');
    const deliveries = sim.deliveries.slice(deliveredBefore).filter((d) => d.messages.some((m) => (m as { remoteEvent?: unknown }).remoteEvent));
    assert.ok(deliveries.length >= 2, 'Pending and Done notifications were delivered');
    for (const d of deliveries) {
      assert.equal(d.target, expected);
      assert.equal(d.status, 200);
    }
    // The end came from the notifications, not from a read-back of the remote.
    assert.equal(sim.callCount({ method: 'GET', pathIncludes: '/remotes/' }), 0);
  });

  it('on redeploy ends a remote in flight clearly, removes the router from RED.httpNode, and the new deploy follows it to its end', async () => {
    h.freshSettings();
    const flow = [
      h.simAccount('acc'),
      { id: 'r', type: 'stellantis-remote', account: 'acc', action: 'unlock', vehicle: ev, wires: [['ok'], ['ko']] },
      { id: 'events', type: 'stellantis-events', account: 'acc', remote: true, monitor: false, wires: [['seen']] },
      { id: 'ok', type: 'helper' },
      { id: 'ko', type: 'helper' },
      { id: 'seen', type: 'helper' },
    ];
    await h.load(flow);
    const oldAccount = await h.accountReady('acc');
    const oldRouter = oldAccount.router;
    const httpNode = h.red().httpNode;
    const oldRemote = h.node('r');
    const oldErrors = errorsOf(oldRemote);

    sim.control.pauseDelivery();
    let rid: string | undefined;
    oldAccount.on('remote', (p: RemoteProgress) => (rid = p.remoteActionId ?? rid));
    h.send('r', {});
    await h.until(() => rid !== undefined, 5000, 'the remote to be accepted');

    await h.helper.setFlows(flow, 'full');
    const restarted = h.account('acc');
    const resumedEnd = new Promise<RemoteProgress>((resolve) =>
      restarted.on('remote', (p: RemoteProgress) => {
        if (p.remoteActionId === rid && p.end) resolve(p);
      }),
    );
    // The old node ended its message clearly with done(err) (its wires are gone with the old flow).
    await h.until(() => oldErrors.length > 0, 3000, 'the old node to report the error');
    assert.match(oldErrors[0], /^unlock \(.+\): timeout: stopped before the car answered; it will be followed after restart$/);
    assert.equal(countMounted(httpNode, oldRouter), 0, 'the old router is gone from RED.httpNode');

    const newAccount = await h.accountReady('acc');
    assert.equal(newAccount, restarted);
    assert.notEqual(newAccount, oldAccount);
    assert.equal(countMounted(httpNode, newAccount.router), 1);
    const seen: NodeMessage[] = h.collect('seen');
    sim.control.resumeDelivery();
    const end = await resumedEnd;
    assert.equal(end.end?.result, 'Success');
    assert.equal(sim.vehicle(ev).locked, false);
    await h.until(() => seen.some((m) => (payloadOf(m).remoteEvent as { eventStatus?: { status?: string } } | undefined)?.eventStatus?.status === 'Success'), 5000, 'the Done notification at the new events node');
    const doneMsg = seen.find((m) => (payloadOf(m).remoteEvent as { eventStatus?: { status?: string } }).eventStatus?.status === 'Success');
    assert.equal(doneMsg?.vehicle, ev);
    assert.equal(callbackCreations(sim) >= 1, true);
  });

  it('when only the remote node is redeployed, ends its message clearly while the account follows the action to its end', async () => {
    h.freshSettings();
    const flow = [
      h.simAccount('acc'),
      { id: 'r', type: 'stellantis-remote', account: 'acc', action: 'unlock', vehicle: ev, closeGraceMs: 100, wires: [['ok'], ['ko']] },
      { id: 'ok', type: 'helper' },
      { id: 'ko', type: 'helper' },
    ];
    await h.load(flow);
    const account = await h.accountReady('acc');
    const oldRemote = h.node('r');
    const oldErrors = errorsOf(oldRemote);
    sim.control.pauseDelivery();
    let rid: string | undefined;
    const end = new Promise<RemoteProgress>((resolve) =>
      account.on('remote', (p: RemoteProgress) => {
        rid = p.remoteActionId ?? rid;
        if (p.end) resolve(p);
      }),
    );
    h.send('r', {});
    await h.until(() => rid !== undefined, 5000, 'the remote to be accepted');
    // A 'modified nodes' deploy restarts only the changed remote node; the account keeps running.
    await h.helper.setFlows([flow[0], { ...flow[1], name: 'renamed' }, flow[2], flow[3]], 'nodes');
    await h.until(() => oldErrors.length > 0, 3000, 'the old node to end its message');
    assert.match(oldErrors[0], /unlock \(.+\): this node was closed before the car answered; the account keeps following the action/);
    assert.equal(h.account('acc'), account, 'the account was not restarted');
    sim.control.resumeDelivery();
    assert.equal((await end).end?.result, 'Success');
    assert.equal((await end).remoteActionId, rid);
  });

  it('forgets the tokens and the webhook secret of a deleted account node, and unmounts its webhook', async () => {
    const dir = h.freshSettings();
    await h.load([h.simAccount('gone'), h.simAccount('kept')]);
    const gone = await h.accountReady('gone');
    const kept = await h.accountReady('kept');
    const goneDir = path.join(dir, 'stellantis', 'gone');
    assert.ok(fs.readdirSync(goneDir).some((f) => f.startsWith('tokens-')), 'tokens stored under <userDir>/stellantis/<node id>');
    const router = gone.router;
    await h.helper.setFlows([h.simAccount('kept')], 'full');
    await h.until(() => !fs.existsSync(goneDir), 3000, 'the deleted account files to go');
    assert.equal(countMounted(h.red().httpNode, router), 0);
    assert.ok(fs.existsSync(path.join(dir, 'stellantis', 'kept')), 'the other account keeps its files');
    assert.notEqual(kept, undefined);
  });

  it('runs two account nodes side by side, each with its own callback and webhook path', async () => {
    h.freshSettings();
    const createdBefore = callbackCreations(sim);
    await h.load([
      h.simAccount('one'),
      h.simAccount('two'),
      { id: 'r1', type: 'stellantis-remote', account: 'one', action: 'unlock', vehicle: ev, wires: [['ok1'], ['ko1']] },
      { id: 'r2', type: 'stellantis-remote', account: 'two', action: 'unlock', vehicle: thermal, wires: [['ok2'], ['ko2']] },
      { id: 'e1', type: 'stellantis-events', account: 'one', remote: true, monitor: false, wires: [['seen1']] },
      { id: 'e2', type: 'stellantis-events', account: 'two', remote: true, monitor: false, wires: [['seen2']] },
      ...['ok1', 'ko1', 'ok2', 'ko2', 'seen1', 'seen2'].map((id) => ({ id, type: 'helper' })),
    ]);
    const one = await h.accountReady('one');
    const two = await h.accountReady('two');
    assert.notEqual(one.webhookUrl, two.webhookUrl);
    assert.equal(countMounted(h.red().httpNode, one.router), 1);
    assert.equal(countMounted(h.red().httpNode, two.router), 1);
    assert.equal(callbackCreations(sim) - createdBefore, 2, JSON.stringify(sim.calls.filter((c) => /callbacks/.test(c.path)).map((c) => [c.method, c.path, c.status, (c.body as { label?: string } | undefined)?.label])));
    const seen1 = h.collect('seen1');
    const seen2 = h.collect('seen2');
    const ok1 = h.nextMessage('ok1');
    const ok2 = h.nextMessage('ok2');
    h.send('r1', {});
    h.send('r2', {});
    const [m1, m2] = await Promise.all([ok1, ok2]);
    assert.equal(payloadOf(m1).result, 'Success');
    assert.equal(payloadOf(m2).result, 'Success');
    const rids = (list: NodeMessage[]): Set<unknown> => new Set(list.map((m) => (payloadOf(m).remoteEvent as { remoteActionId?: string }).remoteActionId));
    assert.deepEqual([...rids(seen1)], [payloadOf(m1).remoteActionId], 'account one only sees its own remote');
    assert.deepEqual([...rids(seen2)], [payloadOf(m2).remoteActionId], 'account two only sees its own remote');
    assert.ok(seen1.every((m) => m.vehicle === ev) && seen2.every((m) => m.vehicle === thermal));
  });

  it('refuses a second account node on the same webhook path, saying which path and what to do', async () => {
    h.freshSettings();
    await h.load([
      h.simAccount('first', { webhookPath: '/car' }),
      h.simAccount('second', { webhookPath: '/car' }),
      { id: 'r', type: 'stellantis-remote', account: 'second', action: 'lock', vehicle: ev, wires: [[], []] },
      { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await h.until(() => h.account('first').state.state !== 'starting' && h.account('second').state.state !== 'starting', 8000, 'both accounts to settle');
    const states = [h.account('first').state, h.account('second').state];
    const refused = states.find((s) => s.state === 'invalid');
    assert.ok(refused, JSON.stringify(states));
    assert.match(refused.text, /webhook path \/red\/car is already used by another account node \(first|second\): give this one another Path/);
    if (h.account('second').state.state === 'invalid') {
      const caught = h.nextMessage('caught');
      h.send('r', {});
      assert.match(String(((await caught).error as { message: string }).message), /^Error: account: webhook path/);
    }
  });

  it('listens on a port of its own when told so, and frees it on close', async () => {
    h.freshSettings();
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await h.load([
      h.simAccount('own', { webhookMode: 'port', listenHost: '127.0.0.1', listenPort: port }),
      { id: 'r', type: 'stellantis-remote', account: 'own', action: 'unlock', vehicle: ev, wires: [['ok'], ['ko']] },
      { id: 'ok', type: 'helper' },
      { id: 'ko', type: 'helper' },
    ]);
    const account = await h.accountReady('own');
    assert.equal(account.router, undefined, 'nothing mounted on RED.httpNode');
    assert.equal(account.webhookUrl, `http://127.0.0.1:${port}/stellantis/webhook/own`);
    const before = sim.deliveries.length;
    const ok = h.nextMessage('ok');
    h.send('r', {});
    assert.equal(payloadOf(await ok).result, 'Success');
    const mine = sim.deliveries.slice(before).filter((d) => d.target === account.webhookUrl);
    assert.ok(mine.length >= 2 && mine.every((d) => d.status === 200), JSON.stringify(mine));
    await h.unload();
    assert.equal(await portIsClosed(port), true);
  });

  it('names every configuration problem with its field, never echoing a secret, and the nodes say the account is misconfigured', async () => {
    h.freshSettings();
    await h.load(
      [
        { id: 'bad', type: 'stellantis-account', flavour: 'b2c', brand: 'peugeot', certFile: 'missing.pem', keyFile: 'missing.key', publicUrl: 'http://insecure.example.org' },
        { id: 'r', type: 'stellantis-remote', account: 'bad', action: 'lock', vehicle: 'x', wires: [[], []] },
        { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ],
      { bad: { clientSecret: 'SUPER-SECRET-VALUE', passphrase: 'PASS-PHRASE-VALUE' } },
    );
    await h.until(() => h.account('bad').state.state === 'invalid', 5000, 'the account to be found invalid');
    const text = h.account('bad').state.text;
    assert.match(text, /^Client id \(clientId\): missing/);
    const caught = h.nextMessage('caught');
    h.send('r', {});
    const error = String(((await caught).error as { message: string }).message);
    assert.match(error, /^Error: account: Client id \(clientId\): missing; copy your application's client id/);
    assert.match(error, /more problems: see the log/);
    // The log (node.error of the account node) names each problem.
    await h.unload();
    h.freshSettings();
    await h.load(
      [{ id: 'bad', type: 'stellantis-account', flavour: 'b2c', brand: 'peugeot', certFile: 'missing.pem', keyFile: 'missing.key', publicUrl: 'http://insecure.example.org' }],
      { bad: { clientSecret: 'SUPER-SECRET-VALUE', passphrase: 'PASS-PHRASE-VALUE' } },
    );
    await h.until(() => h.account('bad').state.state === 'invalid', 5000, 'the account to be found invalid');
    const all = h.loggedErrors('bad').join('\n');
    assert.match(all, /Client id \(clientId\): missing/);
    assert.match(all, /Cert file \(certificate\.cert\): file .*missing\.pem not found/);
    assert.match(all, /Key file \(certificate\.key\): file .*missing\.key not found/);
    assert.match(all, /Public URL \(webhook\.publicUrl\): must be an https:\/\/ URL/);
    assert.doesNotMatch(all + text + error, /SUPER-SECRET-VALUE|PASS-PHRASE-VALUE/);
  });

  it('logs a problem of the engine once: Stellantis failing the callback registration is one line in the log', async () => {
    h.freshSettings();
    // Every attempt at listing the callbacks fails: the account starts anyway and reports it.
    sim.control.failNext(3, 503);
    await h.load([h.simAccount('acc')]);
    await h.accountReady('acc');
    const problem = /could not register the webhook callback yet \(.+\); retrying in the background/;
    await h.until(() => h.loggedLines('acc').some((l) => problem.test(l)), 5000, 'the problem logged');
    await new Promise((resolve) => setImmediate(resolve));
    const lines = h.loggedLines('acc');
    assert.equal(lines.filter((l) => problem.test(l)).length, 1, lines.join('\n'));
  });

  it('says "not logged in" until the login is done, and never calls the API meanwhile', async () => {
    const dir = h.freshSettings();
    const pki = await testPki();
    fs.writeFileSync(`${dir}/client.pem`, pki.client.cert);
    fs.writeFileSync(`${dir}/client.key`, pki.client.key);
    const callsBefore = sim.calls.length;
    await h.load(
      [
        { id: 'real', type: 'stellantis-account', flavour: 'b2c', brand: 'peugeot', clientId: 'my-client', certFile: 'client.pem', keyFile: 'client.key', publicUrl: 'https://cars.example.org' },
        { id: 'r', type: 'stellantis-remote', account: 'real', action: 'lock', vehicle: 'x', wires: [[], []] },
        { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ],
      { real: { clientSecret: 'secret' } },
    );
    await h.until(() => h.account('real').state.state === 'needs-login', 5000, 'needs-login');
    const caught = h.nextMessage('caught');
    h.send('r', {});
    assert.match(String(((await caught).error as { message: string }).message), /^Error: account: not logged in: open the account node, press "Open the login page"/);
    assert.equal(sim.calls.length, callsBefore);
  });
});
