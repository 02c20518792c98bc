/** The mocha hooks of a set-up made fresh for each test of a describe block and ended after it. */

/**
 * `start` before each test (the result handed to `take`, for the file's own variable), `end` after
 * it; a set-up whose start failed is not ended.
 */
export function perTest<T>(start: () => Promise<T>, end: (setUp: T) => Promise<void>, take: (setUp: T) => void): void {
  let current: T | undefined;
  beforeEach(async () => {
    current = await start();
    take(current);
  });
  afterEach(async () => {
    const ending = current;
    current = undefined;
    if (ending !== undefined) await end(ending);
  });
}
