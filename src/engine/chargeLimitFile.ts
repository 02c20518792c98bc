/**
 * Tells the charge limits when their file changed on disk, e.g. written by `stellantis send <car>
 * charge-limit 80` while the plugin runs on the same storage folder.
 *
 * The folder is watched, not the file: every save replaces the file by a rename (util/atomicFile.ts),
 * and a watch on the file itself follows the old inode, so it would go deaf after the first save.
 * Events come in bursts (temp file, rename, folder sync): they are debounced into one check. What
 * the check does with the content (own write or not, valid or not) is the caller's business.
 */
import { promises as fsp, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../util/errorText';

export const CHARGE_LIMIT_FILE_DEBOUNCE_MS = 100;

export class ChargeLimitFileWatch {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** One check at a time; an event during a check asks for one more after it. */
  private checking = false;
  private again = false;

  constructor(
    private readonly file: string,
    private readonly check: () => Promise<void>,
    private readonly report: (problem: string) => void,
    private readonly debounceMs = CHARGE_LIMIT_FILE_DEBOUNCE_MS,
  ) {}

  /** Starts watching; a platform that cannot watch is reported (changes then apply at the next start). */
  start(): void {
    if (this.closed || this.watcher) return;
    const name = path.basename(this.file);
    const cannot = (err: unknown) =>
      `charge limits: cannot watch ${path.dirname(this.file)} (${errorText(err)}); a limit set from the command line applies at the next start`;
    try {
      // Not persistent: watching never keeps Homebridge, Node-RED or a CLI command alive.
      this.watcher = watch(path.dirname(this.file), { persistent: false }, (_event, filename) => {
        // Some platforms do not say which file changed: then it may be ours.
        if (filename === null || filename === undefined || String(filename) === name) this.schedule();
      });
    } catch (err) {
      this.report(cannot(err));
      return;
    }
    this.watcher.on('error', (err) => {
      this.report(cannot(err));
      this.close();
    });
  }

  /** Nothing is checked (nor applied) after this. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.debounceMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = true;
    try {
      do {
        this.again = false;
        if (this.closed) return;
        try {
          await this.check();
        } catch (err) {
          this.report(`charge limits: could not apply the changed ${this.file} (${errorText(err)}); the current limits are kept`);
        }
      } while (this.again);
    } finally {
      this.checking = false;
    }
  }
}

export type FileText = { kind: 'missing' } | { kind: 'text'; text: string } | { kind: 'unreadable'; message: string };

/** The file's text as it is now (no parsing: the caller compares it with what it wrote last). */
export async function readFileText(file: string): Promise<FileText> {
  try {
    return { kind: 'text', text: await fsp.readFile(file, 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', message: errorText(err) };
  }
}
