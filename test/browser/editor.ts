/**
 * What a person does in the Node-RED editor, done with the mouse and keyboard through playwright:
 * drag from the palette, wire two ports, open a node's dialog, deploy. The editor's own state is
 * only read (node ids, dirty flag), never changed behind the UI's back.
 */
import type { Page } from 'playwright-core';
import { sleep } from '../helpers/simulator';

interface EditorNode {
  id: string;
  type: string;
}
interface EditorGlobals {
  RED: {
    nodes: { filterNodes(filter: { type?: string }): EditorNode[]; dirty(): boolean };
  };
}

async function center(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function dragMouse(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 5, from.y + 5, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 15 });
  await page.mouse.up();
}

/** Filters the palette, drags the node onto the workspace at `at` (relative to the visible workspace). */
export async function addFromPalette(page: Page, filter: string, type: string, at: { x: number; y: number }): Promise<void> {
  const search = page.locator('#red-ui-palette-search input');
  await search.click();
  await search.pressSequentially(filter);
  const source = `.red-ui-palette-node[data-palette-type="${type}"]`;
  await page.locator(source).waitFor({ state: 'visible' });
  // The palette filters after a short debounce and re-lays itself out: wait until the node stays put.
  let last = '';
  let steady = 0;
  await waitUntil(async () => {
    await page.locator(source).scrollIntoViewIfNeeded();
    const box = JSON.stringify(await page.locator(source).boundingBox());
    steady = box === last ? steady + 1 : 0;
    last = box;
    return steady >= 3;
  }, `the ${type} palette entry to settle`);
  const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
  if (!chart) throw new Error('the workspace is not visible');
  const before = (await nodeIds(page, type)).length;
  await dragMouse(page, await center(page, source), { x: chart.x + at.x, y: chart.y + at.y });
  await search.fill('');
  await search.press('Escape');
  await waitUntil(async () => (await nodeIds(page, type)).length === before + 1, `a ${type} node dropped on the workspace`);
}

export async function nodeIds(page: Page, type: string): Promise<string[]> {
  return page.evaluate((t) => (globalThis as unknown as EditorGlobals).RED.nodes.filterNodes({ type: t }).map((n) => n.id), type);
}

/** Drags a wire from the first node's output port to the second node's input port. */
export async function wire(page: Page, fromId: string, toId: string): Promise<void> {
  await dragMouse(page, await center(page, `[id="${fromId}"] .red-ui-flow-port-output .red-ui-flow-port`), await center(page, `[id="${toId}"] .red-ui-flow-port-input .red-ui-flow-port`));
  await waitUntil(
    () => page.evaluate(
      ([from, to]) => (globalThis as unknown as { RED: { nodes: { filterLinks(f: { source: { id: string }; target: { id: string } }): unknown[] } } }).RED.nodes.filterLinks({ source: { id: from }, target: { id: to } }).length === 1,
      [fromId, toId],
    ),
    'the wire between the two nodes',
  );
}

/** Double-clicks a node on the workspace and waits for its edit tray. */
export async function openNodeDialog(page: Page, id: string): Promise<void> {
  await page.locator(`[id="${id}"] .red-ui-flow-node`).dblclick();
  await page.locator('#node-dialog-ok').waitFor({ state: 'visible' });
}

/** Presses Deploy and waits until the runtime has the flows (the editor is no longer dirty). */
export async function deploy(page: Page): Promise<void> {
  await page.locator('#red-ui-header-button-deploy').click();
  await waitUntil(() => page.evaluate(() => !(globalThis as unknown as EditorGlobals).RED.nodes.dirty()), 'the deploy to finish');
}

export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
