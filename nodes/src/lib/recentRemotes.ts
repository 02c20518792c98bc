/** Which vehicle a notification is about, when the engine does not say: by the remote's id, for the last 500 remotes. */
import type { WebhookMessage } from '../../../src/stellantis/wire';

const KEPT = 500;

export class RecentRemotes {
  /** Vehicle of each recent remote action id, oldest first. */
  private readonly vehicles = new Map<string, string>();

  remember(remoteActionId: string, vehicleId: string): void {
    this.vehicles.delete(remoteActionId);
    this.vehicles.set(remoteActionId, vehicleId);
    if (this.vehicles.size > KEPT) {
      const oldest = this.vehicles.keys().next().value;
      if (oldest !== undefined) this.vehicles.delete(oldest);
    }
  }

  /** As the engine says, else by the remote's id. */
  vehicleOf(m: WebhookMessage, meta?: { vehicleId?: string }): string | undefined {
    if (meta && typeof meta.vehicleId === 'string') return meta.vehicleId;
    const rid = m.remoteEvent?.remoteActionId;
    return typeof rid === 'string' ? this.vehicles.get(rid) : undefined;
  }
}
