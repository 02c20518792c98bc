/**
 * The scripted scene played once everything is up: Node-RED unlocks the simulated car, then locks
 * it, each through its inject button (Node-RED's admin API); the terminal shows every notification
 * as the simulated Stellantis delivers it, and the car's doors as the simulator has them.
 */
import type { RunningSimulator } from '../simulator';
import type { WebhookMessage } from '../stellantis/wire';
import { DEMO_IDS } from './nodeRedSetup';
import { httpRequest, sleep } from './readiness';

type Listener = (face: string, m: WebhookMessage) => void;

/** Notifications as they pass, for whoever waits on them. */
export class SceneWatch {
  private readonly listeners = new Set<Listener>();
  aborted = false;

  seen(face: string, m: WebhookMessage): void {
    for (const l of this.listeners) l(face, m);
  }

  abort(): void {
    this.aborted = true;
    this.listeners.clear();
  }

  /** The first Done for `face` after now, or an error after `timeoutMs`. */
  nextDone(face: string, timeoutMs: number): Promise<WebhookMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no answer from the car within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const listener: Listener = (f, m) => {
        if (f !== face || m.remoteEvent?.eventStatus?.type !== 'Done') return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(m);
      };
      this.listeners.add(listener);
    });
  }
}

export interface SceneOptions {
  sim: RunningSimulator;
  vehicleId: string;
  noderedUrl: string;
  timeScale: number;
  watch: SceneWatch;
  print: (line: string) => void;
}

async function step(o: SceneOptions, word: 'unlock' | 'lock', inject: string): Promise<void> {
  const { sim, vehicleId, watch, print } = o;
  print(`[scene] Node-RED: ${word}ing the car…`);
  // A sleeping car takes 20-40 s to wake, the whole action up to ~2 min: scaled by the simulation.
  const done = watch.nextDone('node-red', Math.max(20_000, 200_000 * o.timeScale));
  const answer = await httpRequest(`${o.noderedUrl}/inject/${inject}`, { method: 'POST' });
  if (answer.status !== 200) throw new Error(`Node-RED did not press the inject button (HTTP ${answer.status})`);
  const end = await done;
  const status = end.remoteEvent?.eventStatus;
  const wanted = word === 'lock';
  if (status?.status === 'Success' || status?.status === 'AlreadyDone') {
    for (let i = 0; i < 20 && sim.vehicle(vehicleId).locked !== wanted && !watch.aborted; i++) await sleep(100);
    print(`[scene] Node-RED: ${word}ed (${status.status}); the simulated car's doors are ${sim.vehicle(vehicleId).locked ? 'locked' : 'unlocked'}`);
  } else {
    print(`[scene] Node-RED: could not ${word} (${status?.status ?? '?'}${status?.failureCause ? `: ${status.failureCause}` : ''})`);
  }
}

export async function playScene(o: SceneOptions): Promise<void> {
  const car = o.sim.vehicles.find((v) => v.id === o.vehicleId);
  o.print(`[scene] The ${car ? `${car.brand} ${car.model}` : 'car'} (${o.vehicleId}): Node-RED unlocks it, then locks it again.`);
  o.print('[scene] Each notification of the simulated Stellantis shows as it arrives; Apple Home follows through Homebridge.');
  await step(o, 'unlock', DEMO_IDS.injectUnlock);
  if (o.watch.aborted) return;
  await step(o, 'lock', DEMO_IDS.injectLock);
  if (!o.watch.aborted) o.print('[scene] done. Try it yourself: the inject buttons in Node-RED, the lock in the Home app.');
}
