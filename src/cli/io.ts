/** What the CLI talks to, injected so tests run it in-process with captured streams. */

export interface TextSink {
  write(text: string): unknown;
}

/** Timing knobs of `send --wait`, so tests can run it fast against a sped-up simulator. */
export interface SendTuning {
  /** Delays between read-backs of the remote (default 2, 4, 8, 16, 30 s, then 30 s). */
  readBackBackoffMs?: readonly number[];
  /** How long the webhook health check may take (default 5 s). */
  healthTimeoutMs?: number;
  /** The account's silence before it reads the remote back itself (default: a third of --timeout, at most 60 s). */
  noNotificationTimeoutMs?: number;
}

/** Where SIGINT/SIGTERM come from (the process by default; an EventEmitter in tests). */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  stdin: NodeJS.ReadableStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Defaults to `process`. */
  signals?: SignalSource;
  /** Defaults suit people; tests shorten them. */
  tuning?: SendTuning;
}

/** Line-oriented output helpers over an io. */
export class Out {
  constructor(private readonly io: CliIo) {}

  line(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  error(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }
}

/** Reads one line from stdin (a pasted URL or code). Resolves undefined at end of input. */
export function readLine(stdin: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const finish = (value: string | undefined): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      stdin.pause();
      resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline >= 0) finish(buffered.slice(0, newline).replace(/\r$/, ''));
    };
    const onEnd = (): void => finish(buffered.length > 0 ? buffered : undefined);
    const onError = (err: Error): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      reject(err);
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.on('error', onError);
    stdin.resume();
  });
}
