/**
 * The small part of the Node-RED runtime API these nodes use, typed by hand (no @types/node-red
 * dependency). Only APIs present in both Node-RED 4 and 5 are listed.
 */
import type { Server } from 'node:http';
import type { RequestHandler } from 'express';

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  topic?: string;
  [key: string]: unknown;
}

export type SendFn = (msg: NodeMessage | Array<NodeMessage | null> | null) => void;
export type DoneFn = (err?: Error) => void;

export interface RedNode {
  readonly id: string;
  readonly type: string;
  name?: string;
  credentials?: Record<string, unknown>;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  status(status: NodeStatus | Record<string, never>): void;
  send: SendFn;
  log(msg: string): void;
  warn(msg: string): void;
  error(err: string | Error, msg?: NodeMessage): void;
  debug(msg: string): void;
}

/** RED.httpNode / RED.httpAdmin: an Express 4 (Node-RED 4) or Express 5 (Node-RED 5) application. */
export interface HttpApp {
  use(handler: RequestHandler): unknown;
  get(path: string, ...handlers: RequestHandler[]): unknown;
  post(path: string, ...handlers: RequestHandler[]): unknown;
}

export interface RedSettings {
  userDir?: string;
  httpNodeRoot?: string | false;
  uiPort?: number;
  uiHost?: string;
  https?: unknown;
}

export interface NodeAPI {
  nodes: {
    createNode(node: object, def: NodeDef): void;
    registerType(
      type: string,
      constructor: (this: RedNode, def: NodeDef) => void,
      opts?: { credentials?: Record<string, { type: 'text' | 'password' }> },
    ): void;
    getNode(id: string): unknown;
    getCredentials?(id: string): Record<string, unknown> | undefined;
  };
  httpNode: HttpApp;
  httpAdmin: HttpApp;
  auth: { needsPermission(permission: string): RequestHandler };
  settings: RedSettings;
  server?: Server;
  util: { cloneMessage<T>(msg: T): T };
  /** Node-RED's runtime i18n: a key of this node set's catalog, or `<namespace>:<key>` of another's. */
  _?: (key: string, vars?: Record<string, string | number>) => string;
}
