/**
 * Every status a node shows under itself, by name. The colours are fixed: yellow = working on our
 * side or waking the car, blue = with the car, green = done or listening, red = failed or unusable,
 * grey = stopped or set aside. A dot is a settled state, a ring one that is passing.
 */
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
export const NO_ACCOUNT = failed('no account');
export const BAD_MESSAGE = failed('bad message');
export const SEND_ERROR = failed('error');
export const ACCOUNT_NOT_READY = failed('account not ready');
export const READ_FAILED = failed('read failed');
export const WAKING_VEHICLE = working('waking vehicle');
export const READING = awaiting('reading');
export const LISTENING = ready('listening');
