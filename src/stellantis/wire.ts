/**
 * Wire types of the Stellantis Connected Car Web API (B2C v4, B2B v3, webhook template),
 * derived from the official OpenAPI specs. Only what this project reads or writes; every
 * object may carry more fields than listed (the spec says readers must accept unknown fields).
 */

export type Flavour = 'b2c' | 'b2b';

export interface HalLink {
  href: string;
  templated?: boolean;
}

export type AttributeType = 'Header' | 'Body' | 'Query';

export interface CallbackAttribute {
  type: AttributeType;
  key: string;
  /** Literal value, or `$vin`, `$callbackId`, `$callbackLabel`, filled in by Stellantis. */
  value: string;
}

export interface WebhookTarget {
  name: string;
  target: string;
  attributes?: CallbackAttribute[];
}

/** B2C `CallbackSubscribe` (body of POST/PUT /user/callbacks). */
export interface CallbackSubscribe {
  label?: string;
  type?: Array<'Remote' | 'Monitor'>;
  callback: { webhook: WebhookTarget };
}

export type CallbackStatus = 'Running' | 'Paused' | 'Failed';

/** B2C `UserCallback` (one element of GET /user/callbacks). */
export interface UserCallback {
  id: string;
  label?: string;
  status: CallbackStatus;
  subscribe: CallbackSubscribe;
  _links: { self: HalLink };
}

export interface CallbackRef {
  callbackId: string;
  status?: CallbackStatus;
  _links?: Record<string, HalLink>;
}

export interface CollectionResult<K extends string, T> {
  total: number;
  totalPage: number;
  currentPage: number;
  _links: Record<string, HalLink>;
  _embedded: { [key in K]?: T[] };
}

export const REMOTE_TYPES = [
  'ThermalPreconditioning',
  'ElectricBatteryChargingRequest',
  'Horn',
  'Doors',
  'Lights',
  'ChargingState',
  'WakeUp',
  'Navigation',
  'Immobilization',
  'Stolen',
] as const;
export type RemoteType = (typeof REMOTE_TYPES)[number];

export const PENDING_STATUSES = [
  'Accepted',
  'WakingUpVehicle',
  'CheckingVehicle',
  'SentToVehicle',
  'VehicleBatteryChargeTooLow',
  'TooManyWakeUpsOverMonth',
] as const;
export type PendingStatus = (typeof PENDING_STATUSES)[number];

export const DONE_STATUSES = ['Success', 'AlreadyDone', 'Failed'] as const;
export type DoneStatus = (typeof DONE_STATUSES)[number];

export const FAILURE_CAUSES = [
  'GeneralError',
  'VehicleError',
  'WrongCommand',
  'VehicleConnectionTimeout',
  'MissingRights',
  'NotPossibleDueToVehicleBatteryLevel',
  'NotPossibleDueToVehiclePrivacyLevel',
  'TooManyWakeUpsOverMonth',
  'TooManyRequestInShortTime',
  'SameActionInProgress',
  'NotPossibleDueToVehicleStolenState',
  'VehicleInUse',
  'TooManyRequestSent',
  'DoorsOpen',
  'VehicleErrorOrCidInside',
  'CidInside',
  'ExternalChargingSystemError',
  'VehicleChargingSystemError',
  'VehicleIsNotLocked',
  'CanceledByDriver',
] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

export const FEEDBACK_DETAILS = ['NoCIDBlacklisted', 'CIDBlacklisted'] as const;
export type FeedbackDetail = (typeof FEEDBACK_DETAILS)[number];

/** One program of `charging.schedule.programs` in a remote (BasicProgram + enabled, end; no slot). */
export interface ChargeProgramBody {
  start: string;
  end?: string;
  enabled: boolean;
  occurence: { day: string[] };
}

/** Body of POST .../callbacks/{cbid}/remotes: a label and exactly one action object. */
export interface RemoteBody {
  label?: string;
  preconditioning?: {
    airConditioning: {
      immediate?: boolean;
      programs?: Array<{
        slot: number;
        enabled?: boolean;
        recurrence?: 'Daily';
        start?: string;
        occurence?: { day: string[] };
        actionsType?: 'Set' | 'Delete';
      }>;
    };
  };
  charging?: {
    immediate?: boolean;
    /** Only one of the two modes: a deferred start, or the whole list of programs (no slot: the list replaces the car's). */
    schedule?: { nextDelayedTime?: string; programs?: ChargeProgramBody[] };
    preferences?: { level?: string; type?: 'Partial' | 'Full' };
  };
  lights?: { on: boolean };
  door?: { state: 'Locked' | 'Unlocked' };
  horn?: { state: 'Activated' | 'Unactivated' };
  wakeUp?: { action: 'WakeUp' };
  navigation?: { positions: Array<{ type: 'Point'; coordinates: [number, number] }> };
  immobilization?: { activate: boolean };
  stolen?: { stolen: boolean };
}

export interface RemotePostResponse {
  remoteActionId: string;
  type: RemoteType;
  _links?: Record<string, HalLink>;
}

export type RemoteActionStatus = PendingStatus | DoneStatus;

/** GET .../remotes/{rid} */
export interface RemoteActionState {
  remoteActionId: string;
  type?: RemoteType;
  status?: RemoteActionStatus;
  failureCause?: FailureCause;
  feedbackDetail?: FeedbackDetail;
  remote?: RemoteBody;
  _links: { self: HalLink; callback?: HalLink };
}

/** A notification POSTed to the webhook (the `Message` of the webhook template). */
export interface WebhookMessage {
  callbackId?: string;
  type?: 'Remote' | 'Monitor' | string;
  date?: string;
  attributes?: Array<{ key: string; value: string }>;
  remoteEvent?: {
    remoteActionId?: string;
    remoteType?: RemoteType | string;
    eventStatus?: {
      type: 'Pending' | 'Done' | string;
      status: RemoteActionStatus | string;
      failureCause?: FailureCause | string;
      feedbackDetail?: FeedbackDetail | string;
    };
  };
  monitorEvent?: {
    monitorId?: string;
    values?: Array<{ data?: string; value?: { type?: string; body?: { literalValue?: string } }; previous?: string }>;
    extensions?: unknown[];
    refresh?: boolean;
  };
  [extra: string]: unknown;
}

/** The API's error shape: `code` is the HTTP status followed by two digits (e.g. 40499). */
export interface ApiErrorBody {
  code?: number | string;
  uuid?: string;
  message?: string;
  timestamp?: string;
}
