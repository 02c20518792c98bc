/**
 * Every status a node shows under itself, by name. The colours are fixed: yellow = working on our
 * side or waking the car, blue = with the car, green = done or listening, red = failed or unusable,
 * grey = stopped or set aside. A dot is a settled state, a ring one that is passing.
 */
import { t } from './i18n';
import type { NodeStatus } from './red';

type Fill = NonNullable<NodeStatus['fill']>;
type Shape = NonNullable<NodeStatus['shape']>;

const status = (fill: Fill, shape: Shape) => (text: string): NodeStatus => ({ fill, shape, text });

/** Working on our side (queued, sending) or waking the car. */
export const working = status('yellow', 'ring');
/** Handed over: Stellantis or the car has it, the answer is awaited. */
export const awaiting = status('blue', 'ring');
/** The car itself is executing it. */
export const withCar = status('blue', 'dot');
/** Done: what the car now is, or what a message brought. */
export const succeeded = status('green', 'dot');
/** Nothing to do (the car already was so), or waiting for messages. */
export const ready = status('green', 'ring');
/** Set aside or not running (superseded, account starting or stopped). */
export const idle = status('grey', 'ring');
/** Failed, or the node cannot work. */
export const failed = status('red', 'ring');

/** No status: the node shows nothing under itself. */
export const CLEAR: Record<string, never> = {};

/** A fixed status whose text is read in the runtime language when it is shown. */
const keyed = (make: (text: string) => NodeStatus, key: string): NodeStatus => {
  const { fill, shape } = make('');
  return {
    fill,
    shape,
    get text(): string {
      return t(`status.${key}`);
    },
  };
};

export const NO_ACCOUNT = keyed(failed, 'noAccount');
export const BAD_MESSAGE = keyed(failed, 'badMessage');
export const SEND_ERROR = keyed(failed, 'error');
export const ACCOUNT_NOT_READY = keyed(failed, 'accountNotReady');
export const READ_FAILED = keyed(failed, 'readFailed');
export const WAKING_VEHICLE = keyed(working, 'wakingVehicle');
export const READING = keyed(awaiting, 'reading');
export const LISTENING = keyed(ready, 'listening');

/** The charge limit the remote node just set (or removed), in the runtime language. */
export function CHARGE_LIMIT_SET(percent: number | undefined): NodeStatus {
  return succeeded(percent === undefined ? t('status.chargeLimitOff') : t('status.chargeLimitSet', { percent }));
}
