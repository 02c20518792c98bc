/** Small pieces of the API client: answer shapes, path segments, paging links. */
import { ClientConfigError } from './errors';
import type { CallbackAttribute } from './wire';

export function asObject(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** The literal values of a webhook's attributes (the secret header among them): kept out of messages. */
export function attributeValues(attributes: readonly CallbackAttribute[] | undefined): string[] {
  return (attributes ?? []).map((a) => a.value).filter((v) => typeof v === 'string' && !v.startsWith('$'));
}

export function seg(name: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ClientConfigError(name, 'is empty: give the id from the API');
  return encodeURIComponent(value);
}

/** Query of the next page from the HAL `next` link, or undefined at the end. */
export function nextPageQuery(body: Record<string, unknown>, itemsOnPage: number): Record<string, string> | undefined {
  const links = asObject(body._links);
  const next = asObject(links.next);
  if (typeof next.href !== 'string' || itemsOnPage === 0) return undefined;
  if (typeof body.currentPage === 'number' && typeof body.totalPage === 'number' && body.currentPage >= body.totalPage) return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(next.href, 'http://next.invalid/').searchParams;
  } catch {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const key of ['pageToken', 'indexRange', 'pageSize']) {
    const v = params.get(key);
    if (v !== null) out[key] = v;
  }
  return out.pageToken !== undefined ? out : undefined;
}

