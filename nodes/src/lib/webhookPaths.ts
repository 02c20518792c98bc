/** Webhook paths in use on each httpNode app, so that two account nodes never share one. */
import type { HttpApp } from './red';

const owners = new WeakMap<HttpApp, Map<string, string>>();

/** One account node's claim on a path of its httpNode app. */
export class WebhookPathClaim {
  private claimed?: string;

  constructor(
    private readonly httpNode: HttpApp,
    private readonly nodeId: string,
  ) {}

  /** Claims `fullPath`; returns the id of the other account node that holds it, if one does. */
  claim(fullPath: string): string | undefined {
    const paths = owners.get(this.httpNode) ?? new Map<string, string>();
    owners.set(this.httpNode, paths);
    const owner = paths.get(fullPath);
    if (owner !== undefined && owner !== this.nodeId) return owner;
    paths.set(fullPath, this.nodeId);
    this.claimed = fullPath;
    return undefined;
  }

  release(): void {
    if (!this.claimed) return;
    const paths = owners.get(this.httpNode);
    if (paths?.get(this.claimed) === this.nodeId) paths.delete(this.claimed);
    this.claimed = undefined;
  }
}
