/**
 * stellantis-remote: sends one remote action per message and follows it to its end.
 * Outputs: 1 = Success / AlreadyDone (or Accepted when not waiting), 2 = Failed / Timeout /
 * Rejected / Superseded (also reported through done(err) for Catch nodes; when not waiting, a failure
 * after the acceptance reaches Catch nodes through node.error), 3 (optional) = every step.
 */
import type { RemoteEnd, RemoteHandle, RemoteProgress } from '../../src/engine/types';
import { endText } from '../../src/remotes/explanations';
import { describeAction } from '../../src/vocabulary/actionPhrases';
import type { RemoteAction } from '../../src/stellantis/actions';
import { useRuntimeI18n } from './lib/i18n';
import { localExplanation } from './lib/localExplanation';
import { accountRuntimeOf } from './lib/accountLookup';
import { followAccountStatus } from './lib/accountStatus';
import { asError, handleInput, InputFailure } from './lib/inputPipeline';
import { ACCOUNT_NOT_READY, BAD_MESSAGE, CHARGE_LIMIT_SET, CLEAR, NO_ACCOUNT, SEND_ERROR } from './lib/nodeStatus';
import type { DoneFn, NodeAPI, NodeDef, NodeMessage, RedNode, SendFn } from './lib/red';
import { actionFor, BadMessageError, chargeLimitFor, chargeProgramEditFor, vehicleFor, type RemoteSettings } from './lib/remoteInput';
import type { AccountHandle, ChargeProgramEdit } from '../../src/engine/types';
import { InvalidActionError } from '../../src/stellantis/remoteBody';
import { endStatus, progressStatus } from './lib/statusText';

interface RemoteNodeSettings extends RemoteSettings {
  account?: string;
  wait?: boolean | string;
  progress?: boolean;
  /** How long closing waits for actions in flight before ending them (ms). Not in the editor. */
  closeGraceMs?: number;
}

interface InFlight {
  handle: RemoteHandle;
  msg: NodeMessage;
  send: SendFn;
  done: DoneFn;
  /** The message's outputs were sent and done() called. */
  answered: boolean;
  listener: (p: RemoteProgress) => void;
}

const DEFAULT_CLOSE_GRACE_MS = 2000;

function isOk(end: RemoteEnd): boolean {
  return end.result === 'Success' || end.result === 'AlreadyDone';
}

function topicOf(vehicleId: string, action: RemoteAction): string {
  return `stellantis/${vehicleId}/${action.kind}`;
}

export default function register(RED: NodeAPI): void {
  useRuntimeI18n(RED._);
  function StellantisRemoteNode(this: RedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setUpRemoteNode(this, def as RemoteNodeSettings);
  }

  function setUpRemoteNode(node: RedNode, settings: RemoteNodeSettings): void {
    const wait = settings.wait !== false && settings.wait !== 'false';
    const outputs = settings.progress ? 3 : 2;
    const allowOverride = settings.allowOverride !== false;
    const closeGraceMs = typeof settings.closeGraceMs === 'number' ? settings.closeGraceMs : DEFAULT_CLOSE_GRACE_MS;
    const inFlight = new Set<InFlight>();
    let closing = false;

    const runtime = accountRuntimeOf(RED, settings.account);
    const stopFollowing = runtime
      ? followAccountStatus(node, runtime, () => inFlight.size === 0, () => node.status(CLEAR))
      : undefined;
    if (!runtime) node.status(NO_ACCOUNT);

    function out(index: number, msg: NodeMessage): Array<NodeMessage | null> {
      const list: Array<NodeMessage | null> = new Array<NodeMessage | null>(outputs).fill(null);
      list[index] = msg;
      return list;
    }

    /** msg, made into the report of the action's end. */
    function endMessage(handle: RemoteHandle, msg: NodeMessage, end: RemoteEnd): NodeMessage {
      msg.payload = {
        result: end.result,
        vehicle: handle.vehicleId,
        action: handle.action,
        remoteActionId: end.remoteActionId ?? handle.remoteActionId,
        ...(end.failureCause ? { failureCause: end.failureCause } : {}),
        ...(end.explanation ? { explanation: end.explanation, explanationLocal: localExplanation(end) } : {}),
        text: endText(handle.action, end),
        at: end.at,
      };
      msg.topic = topicOf(handle.vehicleId, handle.action);
      msg.vehicle = handle.vehicleId;
      return msg;
    }

    function failureText(handle: RemoteHandle, end: RemoteEnd): string {
      return `${describeAction(handle.action)} (${handle.vehicleId}): ${end.result.toLowerCase()}${end.explanation ? `: ${end.explanation}` : ''}`;
    }

    function answer(entry: InFlight, end: RemoteEnd): void {
      if (entry.answered) return;
      entry.answered = true;
      const msg = endMessage(entry.handle, entry.msg, end);
      if (isOk(end)) {
        entry.send(out(0, msg));
        entry.done();
      } else if (end.result === 'Superseded') {
        // Not a failure: the user asked for the contrary before this one was sent.
        entry.send(out(1, msg));
        entry.done();
      } else {
        entry.send(out(1, msg));
        entry.done(new Error(failureText(entry.handle, end)));
      }
    }

    /**
     * Not waiting: the message was answered when Stellantis accepted the action. A failure that comes
     * after still reaches Catch nodes (node.error with a copy of the message), besides the status.
     */
    function reportLateFailure(entry: InFlight, end: RemoteEnd): void {
      // Closing (a redeploy) ends actions locally; the account follows them again after it.
      if (closing || isOk(end) || end.result === 'Superseded') return;
      node.error(failureText(entry.handle, end), endMessage(entry.handle, entry.msg, end));
    }

    function acceptedAnswer(entry: InFlight, remoteActionId: string | undefined): void {
      if (entry.answered) return;
      const { handle, msg } = entry;
      msg.payload = { result: 'Accepted', vehicle: handle.vehicleId, action: handle.action, remoteActionId, text: `${describeAction(handle.action)}: accepted by Stellantis`, at: Date.now() };
      msg.topic = topicOf(handle.vehicleId, handle.action);
      msg.vehicle = handle.vehicleId;
      // A copy goes out: the original stays ours, for a failure reported later.
      const copy = RED.util.cloneMessage(msg);
      entry.answered = true;
      entry.send(out(0, copy));
      entry.done();
    }

    /** What went wrong while answering (a message that cannot be copied...): reported, never an unhandled rejection. */
    function answerFailed(entry: InFlight, err: unknown): void {
      const error = asError(err);
      const text = `${describeAction(entry.handle.action)} (${entry.handle.vehicleId}): could not answer the message: ${error.message}`;
      node.status(SEND_ERROR);
      try {
        if (entry.answered) node.error(text, entry.msg);
        else {
          entry.answered = true;
          entry.done(new Error(text));
        }
      } catch {
        // Reporting with the message failed too (Catch nodes copy it): report without it.
        node.error(text);
      }
    }

    function release(entry: InFlight): void {
      entry.handle.off('progress', entry.listener);
      inFlight.delete(entry);
    }

    function follow(handle: RemoteHandle, msg: NodeMessage, send: SendFn, done: DoneFn): void {
      const entry: InFlight = {
        handle,
        msg,
        send,
        done,
        answered: false,
        listener: (p) => {
          node.status(progressStatus(p));
          if (outputs === 3 && !closing) {
            const step = RED.util.cloneMessage(msg);
            step.payload = { phase: p.phase, ...(p.pendingStatus ? { pendingStatus: p.pendingStatus } : {}), text: p.text, vehicle: p.vehicleId, action: p.action, remoteActionId: p.remoteActionId, ...(p.end ? { result: p.end.result } : {}), at: p.at };
            step.topic = topicOf(p.vehicleId, p.action);
            step.vehicle = p.vehicleId;
            send(out(2, step));
          }
        },
      };
      inFlight.add(entry);
      handle.on('progress', entry.listener);
      node.status(progressStatus({ vehicleId: handle.vehicleId, requestId: handle.requestId, action: handle.action, phase: handle.phase, text: '', at: Date.now() }));
      if (!wait) {
        void handle.accepted
          .then(({ remoteActionId, end }) => {
            if (end) answer(entry, end);
            else acceptedAnswer(entry, remoteActionId);
          })
          .catch((err: unknown) => answerFailed(entry, err));
      }
      void handle.done
        .then((end) => {
          node.status(endStatus(handle.action, end));
          if (entry.answered) reportLateFailure(entry, end);
          else answer(entry, end);
        })
        .catch((err: unknown) => answerFailed(entry, err))
        .finally(() => release(entry));
    }

    /**
     * A charge limit: kept by the account (engine/chargeLimit.ts). On a car that keeps it itself, its
     * preferences remote is followed like any action; otherwise the monitor plan changes and the
     * message is answered at once (nothing is sent to the car).
     */
    function setChargeLimit(account: AccountHandle, vehicleId: string, percent: number | null, msg: NodeMessage, send: SendFn, done: DoneFn): void {
      let handle: RemoteHandle | undefined;
      try {
        handle = account.setChargeLimit(vehicleId, percent);
      } catch (err) {
        throw new InputFailure(asError(err), SEND_ERROR);
      }
      const limit = account.chargeLimitOf(vehicleId);
      msg.chargeLimit = limit ? { percent: limit.percent, method: limit.method, text: limit.text } : null;
      if (handle) {
        follow(handle, msg, send, done);
        return;
      }
      const text = limit ? `charge limit ${limit.percent} %: ${limit.text}` : 'charge limit removed';
      msg.payload = { result: 'Success', vehicle: vehicleId, action: { kind: 'charge-limit', percent }, ...(limit ? { method: limit.method } : {}), text, at: Date.now() };
      msg.topic = `stellantis/${vehicleId}/charge-limit`;
      msg.vehicle = vehicleId;
      node.status(CHARGE_LIMIT_SET(limit?.percent));
      send(out(0, msg));
      done();
    }

    /** One charging program merged by the account into the car's list; the whole list's remote is followed. */
    function editChargeProgram(account: AccountHandle, vehicleId: string, edit: ChargeProgramEdit, msg: NodeMessage, send: SendFn, done: DoneFn): Promise<void> {
      return account.editChargeProgram(vehicleId, edit).then(
        (handle) => follow(handle, msg, send, done),
        (err: unknown) => {
          if (err instanceof InvalidActionError) throw new InputFailure(new BadMessageError(`bad charge-program request: ${err.message}`), BAD_MESSAGE);
          throw new InputFailure(asError(err), SEND_ERROR);
        },
      );
    }

    /** Nothing of the node's own is showing: an error may take the status. */
    const idle = (): boolean => inFlight.size === 0;

    handleInput(node, {
      errorStatus: (err) => (err instanceof BadMessageError && idle() ? BAD_MESSAGE : undefined),
      run: ({ msg, send, done }) => {
        if (closing) throw new InputFailure(new Error('this node is being redeployed: send the message again in a moment'));
        if (!runtime) throw new InputFailure(new Error('no account: open the node and choose a stellantis-account'));
        const limit = chargeLimitFor(settings, msg);
        const edit = limit ? undefined : chargeProgramEditFor(settings, msg);
        const action = limit || edit ? undefined : actionFor(settings, msg);
        return runtime.whenReady().then(
          (account) => {
            if (closing) throw new InputFailure(new Error('this node was redeployed before the action could be sent: send the message again'));
            const vehicleId = vehicleFor(settings.vehicle, msg, allowOverride, { ids: runtime.vehicleIds, names: runtime.vehicleNames });
            if (edit) return editChargeProgram(account, vehicleId, edit, msg, send, done);
            if (limit || !action) {
              setChargeLimit(account, vehicleId, limit?.percent ?? null, msg, send, done);
              return;
            }
            let handle: RemoteHandle;
            try {
              handle = account.send(vehicleId, action);
            } catch (err) {
              throw new InputFailure(asError(err), SEND_ERROR);
            }
            follow(handle, msg, send, done);
          },
          (err: unknown) => {
            throw new InputFailure(asError(err), idle() ? ACCOUNT_NOT_READY : undefined);
          },
        );
      },
    });

    node.on('close', (_removed, done) => {
      closing = true;
      stopFollowing?.();
      const pending = [...inFlight];
      if (pending.length === 0) {
        done();
        return;
      }
      // Give the actions a moment to end (a full redeploy stops the account, which ends them at once).
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, closeGraceMs)));
      void Promise.race([Promise.all(pending.map((e) => e.handle.done)), grace]).then(() => {
        if (timer) clearTimeout(timer);
        for (const entry of pending) {
          if (!entry.answered) {
            entry.answered = true;
            entry.done(new Error(`${describeAction(entry.handle.action)} (${entry.handle.vehicleId}): this node was closed before the car answered; the account keeps following the action (its end shows in stellantis-events nodes)`));
          }
          release(entry);
        }
        done();
      });
    });
  }

  RED.nodes.registerType('stellantis-remote', StellantisRemoteNode);
}
