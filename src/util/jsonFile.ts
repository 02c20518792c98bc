/**
 * A small JSON file under the storage folder, written atomically (temp + rename) with mode 0600.
 * Saves are coalesced: while one write runs, later saves collapse into one more write of the
 * latest value, so a burst of changes costs at most two writes.
 */
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from './atomicFile';
import { errorText } from './errorText';

export type ReadResult = { kind: 'missing' } | { kind: 'ok'; value: unknown } | { kind: 'corrupt'; message: string };

export class JsonFile {
  private latest: string | undefined;
  /** Generation of the latest value scheduled, and of the last one written. */
  private scheduled = 0;
  private written = 0;
  private waiters: Array<{ gen: number; resolve: () => void }> = [];
  private writing: Promise<void> | undefined;
  private lastError: unknown;

  constructor(readonly path: string) {}

  async read(): Promise<ReadResult> {
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      return { kind: 'corrupt', message: `${this.path}: not readable (${errorText(err)})` };
    }
    try {
      return { kind: 'ok', value: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'corrupt', message: `${this.path}: not valid JSON; it will be rewritten` };
    }
  }

  /**
   * Schedules a write of `value`; resolves once a write containing it has finished (even while
   * later values keep coming). Never rejects: see `flush()` for errors.
   */
  save(value: unknown): Promise<void> {
    this.latest = JSON.stringify(value);
    const gen = ++this.scheduled;
    const done = new Promise<void>((resolve) => this.waiters.push({ gen, resolve }));
    this.writing ??= this.drain();
    return done;
  }

  /** Waits for every scheduled write. Rejects with the last write error, if any. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.lastError) {
      const err = this.lastError;
      this.lastError = undefined;
      throw err;
    }
  }

  async remove(): Promise<void> {
    await this.flush().catch(() => undefined);
    await fs.rm(this.path, { force: true });
  }

  private async drain(): Promise<void> {
    try {
      while (this.latest !== undefined) {
        const data = this.latest;
        const gen = this.scheduled;
        this.latest = undefined;
        try {
          await writeFileAtomic(this.path, data, 0o600);
          this.lastError = undefined;
        } catch (err) {
          this.lastError = err;
        }
        this.written = gen;
        const ready = this.waiters.filter((w) => w.gen <= this.written);
        this.waiters = this.waiters.filter((w) => w.gen > this.written);
        for (const w of ready) w.resolve();
      }
    } finally {
      this.writing = undefined;
    }
  }
}
