// The part of node-red-node-test-helper (which ships no types) the node tests use.
declare module 'node-red-node-test-helper' {
  import type { EventEmitter } from 'node:events';

  interface NodeTestHelper {
    init(runtimePath?: string, userSettings?: Record<string, unknown>): void;
    settings(userSettings?: Record<string, unknown>): Record<string, unknown>;
    load(nodes: unknown | unknown[], flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
    setFlows(flow: unknown[], type?: 'full' | 'flows' | 'nodes', credentials?: Record<string, unknown>): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): (EventEmitter & Record<string, unknown>) | null;
    startServer(): Promise<void>;
    stopServer(): Promise<void>;
    url(): string;
    request(): unknown;
    log(): unknown;
  }

  const helper: NodeTestHelper;
  export = helper;
}
