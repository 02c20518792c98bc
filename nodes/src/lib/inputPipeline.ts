/**
 * The one way a node takes its input messages: the handler does the work and calls done() when the
 * message is answered; whatever it throws (or its promise rejects with) is shown as the node's
 * status and passed to done(err), so Catch nodes get it and nothing escapes into Node-RED.
 */
import type { DoneFn, NodeMessage, NodeStatus, RedNode, SendFn } from './red';

export interface Input {
  msg: NodeMessage;
  send: SendFn;
  done: DoneFn;
}

export interface InputPipeline {
  run(input: Input): void | Promise<void>;
  /** The status an error shows; undefined leaves the status as it is. */
  errorStatus(err: Error): NodeStatus | undefined;
  /** How a status is shown (default node.status). */
  show?(status: NodeStatus): void;
}

/** An error with the status it shows, chosen where it happened (none: the status stays). */
export class InputFailure extends Error {
  constructor(
    readonly error: Error,
    readonly status?: NodeStatus,
  ) {
    super(error.message);
  }
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export function handleInput(node: RedNode, pipeline: InputPipeline): void {
  const show = pipeline.show ?? ((status: NodeStatus) => node.status(status));
  node.on('input', (msg, send, done) => {
    const fail = (err: unknown): void => {
      const failure = err instanceof InputFailure ? err : undefined;
      const error = failure ? failure.error : asError(err);
      const status = failure ? failure.status : pipeline.errorStatus(error);
      if (status) show(status);
      done(error);
    };
    try {
      const running = pipeline.run({ msg, send, done });
      if (running) running.catch(fail);
    } catch (err) {
      fail(err);
    }
  });
}
