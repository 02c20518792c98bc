/**
 * What a node shows under itself while its account is not usable, and the wiring that keeps it
 * up to date (shared by the remote, events and status nodes).
 */
import type { AccountRuntime, AccountStatus } from './accountRuntime';
import { t } from './i18n';
import { failed, idle } from './nodeStatus';
import type { NodeStatus, RedNode } from './red';

export function accountNodeStatus(s: AccountStatus): NodeStatus | undefined {
  switch (s.state) {
    case 'ready':
      return undefined;
    case 'starting':
      return idle(t('status.accountStarting'));
    case 'needs-login':
      return failed(t('status.accountNotLoggedIn'));
    case 'invalid':
      return failed(t('status.accountMisconfigured'));
    case 'failed':
      return failed(t('status.accountRetrying'));
    case 'stopped':
      return idle(t('status.accountStopped'));
  }
}

/**
 * Shows the account's state under `node` whenever `idle()` says the node has nothing better to
 * show; `onReady` decides what to show once the account works. Returns the unsubscribe function.
 */
export function followAccountStatus(node: RedNode, runtime: AccountRuntime, idle: () => boolean, onReady: () => void): () => void {
  const show = (s: AccountStatus): void => {
    if (!idle()) return;
    const status = accountNodeStatus(s);
    if (status) node.status(status);
    else onReady();
  };
  runtime.on('status', show);
  show(runtime.state);
  return () => runtime.off('status', show);
}
