/**
 * Putting the webhook router on Node-RED's own HTTP server (RED.httpNode) and taking it off again
 * on redeploy, plus the URLs that point at it.
 *
 * Express has no public "remove middleware": the router's layer is taken out of the app's router
 * stack (`app._router.stack` in Express 4, `app.router.stack` in Express 5).
 */
import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
import type { HttpApp, RedSettings } from './red';

interface Layer {
  handle?: unknown;
}

function routerStack(app: HttpApp): Layer[] | undefined {
  const candidate = app as unknown as { _router?: { stack?: unknown } };
  let router: { stack?: unknown } | undefined = candidate._router;
  if (!router) {
    // Express 4's `app.router` getter throws ("deprecated"): only read it when `_router` is absent.
    try {
      router = (app as unknown as { router?: { stack?: unknown } }).router;
    } catch {
      router = undefined;
    }
  }
  return router && Array.isArray(router.stack) ? (router.stack as Layer[]) : undefined;
}

/** Mounts `handler` on the app; the returned function removes exactly that layer (idempotent). */
export function mountOnApp(app: HttpApp, handler: RequestHandler): () => void {
  app.use(handler);
  let mounted = true;
  return () => {
    if (!mounted) return;
    mounted = false;
    const stack = routerStack(app);
    if (!stack) return;
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i].handle === handler) stack.splice(i, 1);
    }
  };
}

/** How many layers of the app's stack are `handler` (tests: 1 once mounted, 0 once removed). */
export function countMounted(app: HttpApp, handler: unknown): number {
  return (routerStack(app) ?? []).filter((layer) => layer.handle === handler).length;
}

/** Joins URL path pieces with exactly one slash between them; always starts with '/'. */
export function joinPaths(...parts: string[]): string {
  const joined = parts
    .map((p) => p.trim().replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/');
  return `/${joined}`;
}

/** httpNodeRoot as a path ('/' when unset); undefined when httpNode is disabled (`httpNodeRoot: false`). */
export function httpNodeRoot(settings: RedSettings): string | undefined {
  const root = settings.httpNodeRoot;
  if (root === false) return undefined;
  return typeof root === 'string' && root !== '' ? root : '/';
}

/** The public address Stellantis posts to: the public base URL + httpNodeRoot (when on httpNode) + path. */
export function publicWebhookUrl(publicBase: string, webhookPath: string, nodeRoot?: string): string {
  const base = publicBase.trim().replace(/\/+$/, '');
  return `${base}${joinPaths(nodeRoot ?? '', webhookPath)}`;
}

/** Resolves once the server listens (Node-RED starts the flows before it calls listen()). */
export function whenListening(server: Server | undefined, timeoutMs: number): Promise<boolean> {
  if (!server) return Promise.resolve(false);
  if (server.listening) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    const onListening = (): void => finish(true);
    function finish(ok: boolean): void {
      clearTimeout(timer);
      server?.off('listening', onListening);
      resolve(ok);
    }
    server.once('listening', onListening);
  });
}

/** The loopback address of Node-RED's own HTTP server (for the built-in simulator to deliver to). */
export function loopbackBase(server: Server | undefined, settings: RedSettings): string {
  const address = server?.address();
  const port = address && typeof address === 'object' ? address.port : (settings.uiPort ?? 1880);
  const protocol = settings.https ? 'https' : 'http';
  const bound = settings.uiHost;
  const host = !bound || bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound.includes(':') ? `[${bound}]` : bound;
  return `${protocol}://${host}:${port}`;
}
