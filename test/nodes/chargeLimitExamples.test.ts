/**
 * The charge-limit example flows, imported as a user would into a real Node-RED runtime wired to the
 * simulator: "Notify me when the limit stopped the charge" makes its notification text when the
 * threshold stops a charge (and when the stop fails, with why); "Charge to 80 % in off-peak hours"
 * sets the limit when triggered (kept by the car's preferences, or by a monitor on a car without them).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunningSimulator } from '../../src/simulator';
import type { ChargeLimitEvent } from '../../src/engine/types';
import { storeChargeLimit } from '../../src/cli/chargeLimitSend';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import { callsMatching, chargeStopPosts, REMOTE_POSTS } from '../helpers/simulator';
import { specFor } from '../helpers/spec';
import { requireFromNodeRed } from '../helpers/hostModules';
import * as h from './harness';

const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');
const NOTIFY = 'Notify me when the limit stopped the charge';
const OFF_PEAK = 'Charge to 80 % in off-peak hours';
const NOTIFICATION_NODE = 'send the notification here';

type FlowNode = Record<string, unknown>;

function readExample(title: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, `${title}.json`), 'utf8')) as FlowNode[];
}

const stopPosts = chargeStopPosts;

describe('Node-RED: the charge-limit example flows', function () {
  this.timeout(40_000);
  let sim: RunningSimulator;
  let ev: string;
  let preferenceTypeBefore = false;
  // The core nodes of the host's Node-RED that the examples use.
  const core = ['common/20-inject.js', 'common/21-debug.js', 'common/90-comment.js', 'function/10-switch.js', 'function/15-change.js'].map((f) =>
    requireFromNodeRed<unknown>(`@node-red/nodes/core/${f}`),
  );

  h.useNodeRed({
    started: (setUp) => {
      ({ sim, ev } = setUp);
      const caps = sim.vehicle(ev).capabilities;
      assert.ok(caps, 'the simulated EV has capabilities');
      preferenceTypeBefore = caps.charging.preferenceType;
    },
    afterEach: () => {
      const caps = sim.vehicle(ev).capabilities;
      if (caps) caps.charging.preferenceType = preferenceTypeBefore;
      sim.control.setVehicle(ev, { stolen: false });
    },
  });

  /** A car without charging preferences: the limit is kept by a monitor threshold. */
  function withoutPreferences(): void {
    const caps = sim.vehicle(ev).capabilities;
    assert.ok(caps);
    caps.charging.preferenceType = false;
  }

  /** Loads the example on a tab of its own, the simulator sped up; returns the flow and its account id. */
  async function loadExample(title: string): Promise<{ flow: FlowNode[]; accountId: string }> {
    const flow: FlowNode[] = [
      { id: 'example-tab', type: 'tab', label: title },
      ...readExample(title).map((n) => (n.type === 'stellantis-account' ? { ...n, simulatorTimeScale: h.SCALE } : { ...n, z: 'example-tab' })),
    ];
    h.freshSettings();
    await h.helper.load([...core, ...h.NODE_MODULES], flow);
    const accountId = String(flow.find((n) => n.type === 'stellantis-account')?.id);
    await h.accountReady(accountId);
    return { flow, accountId };
  }

  const monitorReady = (accountId: string) => () =>
    h.account(accountId).monitors().some((v) => v.monitors.some((m) => m.key === 'chargeLimit' && m.monitorId));

  it(`runs "${NOTIFY}": a limit set from the CLI meanwhile, the threshold stops the charge, the notification says so once`, async () => {
    withoutPreferences();
    sim.control.setVehicle(ev, { level: 70, plugged: true, charging: false });
    const { accountId } = await loadExample(NOTIFY);
    const shown = h.debugOutput();
    const runtime = h.account(accountId);
    const account = await runtime.whenReady();
    // `stellantis send <car> charge-limit 74 --storage <this account node's folder>`, Node-RED running.
    const file = storageFile(runtime.storageDir, 'charge-limits', accountKeyOf({ flavour: 'b2c', clientId: sim.account.clientId, realm: sim.account.realm }));
    await storeChargeLimit(file, ev, 74, account.capabilitiesOf(ev));
    await h.until(() => account.chargeLimitOf(ev)?.percent === 74, 5000, 'the limit applied');
    await h.until(monitorReady(accountId), 8000, 'the threshold monitor');
    const from = sim.calls.length;

    sim.control.setVehicle(ev, { charging: true });
    await h.until(() => shown.some((d) => d.name === NOTIFICATION_NODE), 10000, 'the notification');
    await new Promise((r) => setTimeout(r, 300));
    const notes = shown.filter((d) => d.name === NOTIFICATION_NODE);
    assert.deepEqual(
      notes.map((d) => d.msg),
      [`${ev}: charge stopped at 75 % (limit 74 %)`],
      'one notification, the "set" of the limit not among them',
    );
    assert.equal(stopPosts(sim, from).length, 1, 'exactly one stop');
    assert.equal(sim.vehicle(ev).charging, false);
  });

  it(`runs "${NOTIFY}": a stop the car refuses makes the notification with why`, async () => {
    withoutPreferences();
    sim.control.setVehicle(ev, { level: 70, plugged: true, charging: false });
    const { accountId } = await loadExample(NOTIFY);
    const shown = h.debugOutput();
    const account = await h.account(accountId).whenReady();
    account.setChargeLimit(ev, 72);
    await h.until(monitorReady(accountId), 8000, 'the threshold monitor');
    const from = sim.calls.length;

    sim.control.setVehicle(ev, { stolen: true });
    sim.control.setVehicle(ev, { charging: true });
    await h.until(() => shown.some((d) => d.name === NOTIFICATION_NODE), 10000, 'the notification');
    await h.until(() => sim.vehicle(ev).level >= 75, 10000, 'the charge going on');
    const notes = shown.filter((d) => d.name === NOTIFICATION_NODE);
    assert.equal(notes.length, 1, JSON.stringify(notes));
    assert.match(String(notes[0].msg), new RegExp(`^${ev}: level 73 % passed the limit of 72 % but the stop failed \\(NotPossibleDueToVehicleStolenState\\): .+; not retried for this charge$`));
    assert.equal(stopPosts(sim, from).length, 1, 'exactly one stop, not retried');
  });

  it(`runs "${OFF_PEAK}": the inject sets the limit to 80 %, kept by the car (one spec-valid preferences Partial)`, async () => {
    const { flow, accountId } = await loadExample(OFF_PEAK);
    const account = await h.account(accountId).whenReady();
    const events: ChargeLimitEvent[] = [];
    account.on('chargeLimit', (e) => events.push(e));
    const from = sim.calls.length;
    h.send(String(flow.find((n) => n.type === 'inject')?.id), {});
    await h.until(() => events.some((e) => e.kind === 'set'), 8000, 'the limit set');
    assert.deepEqual(account.chargeLimitOf(ev), { percent: 80, method: 'preferences', stoppedThisSession: false, text: 'kept by the car (charging preferences: Partial)' });
    await h.until(() => callsMatching(sim, REMOTE_POSTS, from).some((c) => (c.body as { charging?: { preferences?: unknown } }).charging?.preferences), 8000, 'the preferences');
    const prefs = callsMatching(sim, REMOTE_POSTS, from).filter((c) => (c.body as { charging?: { preferences?: unknown } }).charging?.preferences);
    assert.equal(prefs.length, 1);
    assert.deepEqual((prefs[0].body as { charging: unknown }).charging, { preferences: { type: 'Partial' } });
    assert.deepEqual(specFor('b2c').validateRequest('POST', prefs[0].path.replace(/^\/connectedcar\/v4/, ''), prefs[0].query, prefs[0].body), []);
  });

  it(`runs "${OFF_PEAK}" on a car without preferences: the limit kept by a monitor threshold, no preferences sent`, async () => {
    withoutPreferences();
    const { flow, accountId } = await loadExample(OFF_PEAK);
    const account = await h.account(accountId).whenReady();
    const from = sim.calls.length;
    h.send(String(flow.find((n) => n.type === 'inject')?.id), {});
    await h.until(monitorReady(accountId), 8000, 'the threshold monitor');
    assert.equal(account.chargeLimitOf(ev)?.percent, 80);
    assert.equal(account.chargeLimitOf(ev)?.method, 'monitor');
    const monitorPost = callsMatching(sim, { method: 'POST', path: /\/monitors$/ }, from).find((c) => JSON.stringify(c.body).includes('greaterThan'));
    assert.ok(monitorPost);
    assert.match(JSON.stringify(monitorPost.body), /"op":"greaterThan","value":\["80"\]/);
    assert.equal(callsMatching(sim, REMOTE_POSTS, from).filter((c) => (c.body as { charging?: { preferences?: unknown } }).charging?.preferences).length, 0);
  });
});
