/**
 * Cars that drive a route: from where the car is, through each point, at a steady speed over
 * simulated time, its position, mileage and speed updated every 5 simulated seconds; then it
 * parks. Moving opens a trip and parking closes it (see Fleet).
 */
import type { Clock } from './clock';
import type { Fleet } from './fleet';
import { distanceKm } from './monitorWatch';
import type { SimRoute } from './types';

const TICK_MS = 5_000;
const DEFAULT_SPEED_KMH = 50;

type Point = { lat: number; lon: number };

function checkPoint(p: unknown, i: number): Point {
  const o = p as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || typeof o.lat !== 'number' || typeof o.lon !== 'number' || Math.abs(o.lat) > 90 || Math.abs(o.lon) > 180) {
    throw new Error(`drive: route[${i}] must be {"lat": -90..90, "lon": -180..180}`);
  }
  return { lat: o.lat, lon: o.lon };
}

export function checkRoute(route: SimRoute): { points: Point[]; speedKmh: number } {
  if (!Array.isArray(route?.route) || route.route.length < 1 || route.route.length > 100) throw new Error('drive: route must list 1 to 100 points [{"lat", "lon"}, ...]');
  const speed = route.speedKmh ?? DEFAULT_SPEED_KMH;
  if (typeof speed !== 'number' || !(speed >= 1 && speed <= 250)) throw new Error('drive: speedKmh must be a number from 1 to 250');
  return { points: route.route.map(checkPoint), speedKmh: speed };
}

export class Driver {
  private readonly cancels = new Map<string, () => void>();

  constructor(
    private readonly fleet: Fleet,
    private readonly clock: Clock,
  ) {}

  drive(id: string, route: SimRoute): void {
    const { points, speedKmh } = checkRoute(route);
    this.fleet.get(id);
    this.cancel(id);
    const v = this.fleet.update(id, { asleep: false, deepSleep: false, moving: true, speedKmh });
    const legs: Point[] = [{ ...v.position }, ...points];
    let leg = 0;
    let along = 0;
    const step = () => {
      const car = this.fleet.find(id);
      if (!car || !car.moving) {
        this.cancels.delete(id);
        return;
      }
      let budget = (speedKmh * TICK_MS) / 3_600_000;
      let moved = 0;
      while (leg < legs.length - 1 && budget > 0) {
        const length = distanceKm(legs[leg], legs[leg + 1]);
        const left = length - along;
        if (budget < left) {
          along += budget;
          moved += budget;
          budget = 0;
        } else {
          moved += left;
          budget -= left;
          leg++;
          along = 0;
        }
      }
      const arrived = leg >= legs.length - 1;
      const from = legs[Math.min(leg, legs.length - 1)];
      const to = legs[Math.min(leg + 1, legs.length - 1)];
      const length = distanceKm(from, to);
      const f = arrived || length === 0 ? 0 : along / length;
      const position = arrived ? { ...legs[legs.length - 1] } : { lat: from.lat + (to.lat - from.lat) * f, lon: from.lon + (to.lon - from.lon) * f };
      const mileage = Math.round((car.mileage + moved) * 1000) / 1000;
      if (arrived) {
        this.cancels.delete(id);
        this.fleet.update(id, { position, mileage, moving: false });
        return;
      }
      this.fleet.update(id, { position, mileage });
      this.cancels.set(id, this.clock.after(TICK_MS, step));
    };
    this.cancels.set(id, this.clock.after(TICK_MS, step));
  }

  /** A route in progress ends where the car is (it keeps moving until told otherwise). */
  cancel(id: string): void {
    this.cancels.get(id)?.();
    this.cancels.delete(id);
  }
}
