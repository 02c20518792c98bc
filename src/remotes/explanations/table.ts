/**
 * One language's plain words for the official statuses and failure causes, typed over the wire enums:
 * a cause or status missing in a language fails to compile. English (../explanations.ts) is the source.
 */
import type { FailureCause, PendingStatus } from '../../stellantis/wire';

export interface Explanation {
  /** What happened, in plain words. */
  text: string;
  /** What the user can do about it ('' when nothing is needed). */
  whatToDo: string;
}

export interface ExplanationTable {
  failure: Record<FailureCause, Explanation>;
  pending: Record<PendingStatus, Explanation>;
  /** A cause Stellantis sent that is not in the official list. */
  unknownCause: (cause: string) => string;
  /** A failure without any cause. */
  noReason: string;
  /** What to do after an unknown or missing cause. */
  tryLater: string;
  /** A pending status that is not in the official list. */
  inProgress: (status: string) => string;
}
