/**
 * Finding the runtime of the account config node behind an id, and the logger a node offers the core.
 */
import type { Logger } from '../../../src/util/logger';
import { AccountRuntime } from './accountRuntime';
import type { NodeAPI, RedNode } from './red';

/** A stellantis-account node carries its runtime under this property. */
export interface AccountNode extends RedNode {
  stellantis?: AccountRuntime;
}

export function accountRuntimeOf(RED: NodeAPI, id: unknown): AccountRuntime | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  const node = RED.nodes.getNode(id) as AccountNode | null | undefined;
  return node?.stellantis instanceof AccountRuntime ? node.stellantis : undefined;
}

export function nodeLogger(node: RedNode): Logger {
  return {
    debug: (m) => node.debug(m),
    info: (m) => node.log(m),
    warn: (m) => node.warn(m),
    error: (m) => node.error(m),
  };
}
