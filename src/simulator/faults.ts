/** Fault-injection counters shared by the API middleware and the notifier. */

export type ApiFault = { delayMs?: number; fail?: number; hang?: boolean };

export class Faults {
  failCount = 0;
  failStatus = 503;
  delayCount = 0;
  delayMs = 0;
  hangCount = 0;
  dropCount = 0;
  duplicateCount = 0;
  reorder = false;
  deliveryPaused = false;

  /** Consumes the faults that apply to the API call being received. */
  takeApiFault(): ApiFault | undefined {
    if (this.hangCount > 0) {
      this.hangCount--;
      return { hang: true };
    }
    const fault: ApiFault = {};
    if (this.delayCount > 0) {
      this.delayCount--;
      fault.delayMs = this.delayMs;
    }
    if (this.failCount > 0) {
      this.failCount--;
      fault.fail = this.failStatus;
    }
    return fault.delayMs !== undefined || fault.fail !== undefined ? fault : undefined;
  }

  /** For each new notification: whether it is lost, or delivered twice. */
  takeNotificationFault(): 'drop' | 'duplicate' | undefined {
    if (this.dropCount > 0) {
      this.dropCount--;
      return 'drop';
    }
    if (this.duplicateCount > 0) {
      this.duplicateCount--;
      return 'duplicate';
    }
    return undefined;
  }

  snapshot() {
    return {
      failNext: this.failCount,
      failStatus: this.failStatus,
      delayNext: this.delayCount,
      delayMs: this.delayMs,
      hangNext: this.hangCount,
      dropNotifications: this.dropCount,
      duplicateNotifications: this.duplicateCount,
      reorderNotifications: this.reorder,
      deliveryPaused: this.deliveryPaused,
    };
  }
}
