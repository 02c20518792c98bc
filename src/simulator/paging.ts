/** Collection answers as the spec describes them: indexRange, pageSize (1..60), an opaque pageToken, HAL links. */
import { ApiError } from './errors';

export interface PageQuery {
  pageSize?: unknown;
  pageToken?: unknown;
  indexRange?: unknown;
}

function bad(message: string): never {
  throw new ApiError(400, message, 11);
}

/** `view` builds each item of the page only (a fleet's statuses are built a page at a time). */
export function paginate<T, K extends string, U = T>(all: T[], query: PageQuery, selfPath: string, key: K, view?: (item: T) => U) {
  let size = 60;
  if (query.pageSize !== undefined) {
    const n = Number(query.pageSize);
    if (typeof query.pageSize !== 'string' || !/^\d+$/.test(query.pageSize) || n < 1 || n > 60) bad('pageSize must be an integer from 1 to 60');
    size = n;
  }
  let start = 0;
  let end = Infinity;
  if (query.indexRange !== undefined) {
    const m = typeof query.indexRange === 'string' ? /^(\d+)(?:-(\d*))?$/.exec(query.indexRange) : null;
    if (!m) bad('indexRange must look like "0-9" or "5-"');
    start = Number(m[1]);
    end = m[2] ? Number(m[2]) : Infinity;
    if (end < start) bad('indexRange end is before its start');
  }
  let page = 1;
  if (query.pageToken !== undefined) {
    const decoded = typeof query.pageToken === 'string' ? Buffer.from(query.pageToken, 'base64url').toString('utf8') : '';
    const m = /^page:(\d+)$/.exec(decoded);
    if (!m || Number(m[1]) < 1) bad('pageToken is not a token this server issued');
    page = Number(m[1]);
  }
  const items = all.slice(start, end === Infinity ? undefined : end + 1);
  const totalPage = Math.max(1, Math.ceil(items.length / size));
  const href = (p: number) => {
    const params = new URLSearchParams();
    if (query.indexRange !== undefined) params.set('indexRange', String(query.indexRange));
    params.set('pageSize', String(size));
    params.set('pageToken', Buffer.from(`page:${p}`).toString('base64url'));
    return { href: `${selfPath}?${params.toString()}` };
  };
  const links: Record<string, { href: string }> = { self: href(page), first: href(1), last: href(totalPage) };
  if (page < totalPage) links.next = href(page + 1);
  if (page > 1) links.prev = href(Math.min(page - 1, totalPage));
  return {
    total: items.length,
    totalPage,
    currentPage: page,
    _links: links,
    _embedded: { [key]: items.slice((page - 1) * size, page * size).map((x) => (view ? view(x) : (x as unknown as U))) } as { [k in K]: U[] },
  };
}
