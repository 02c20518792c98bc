/**
 * What `stellantis doctor` (and the Homebridge UI button, and the Node-RED admin action) report:
 * plain JSON, so every face can show it or send it over HTTP as is.
 */
import type { Logger } from '../util/logger';

export type DoctorCheckId = 'config' | 'certificate' | 'token' | 'api' | 'vehicles' | 'callback' | 'listener' | 'wakeups' | 'monitors';

export interface DoctorCheck {
  id: DoctorCheckId;
  title: string;
  /** 'skipped': not applicable here, or an earlier check it depends on failed (said in `detail`). */
  ok: boolean | 'skipped';
  /** What was found, in plain words (one or a few lines). Never a secret. */
  detail: string;
  /** What to do about it, when `ok` is false. */
  fix?: string;
}

/** Calls the doctor made (it never sends a remote and never wakes a car). */
export interface DoctorCalls {
  /** Token requests to the login server (at most 1). */
  token: number;
  /** HTTP requests to the Stellantis API (at most: GET /user, one vehicles list, one callbacks list, with their pages). */
  api: number;
  /** Requests to our own listener through its public address (at most 2: health and one test message). */
  listener: number;
}

export interface DoctorReport {
  /** True when no check failed (skipped checks that were not applicable do not count). */
  ok: boolean;
  /** 0 when every check passed, else 1: what the CLI exits with. */
  exitCode: 0 | 1;
  checks: DoctorCheck[];
  calls: DoctorCalls;
  /** ISO date of the run. */
  startedAt: string;
  durationMs: number;
}

export interface DoctorOptions {
  /** The folder holding tokens, webhook secret, callback id and wake-up state (Homebridge storage path, Node-RED userDir, CLI --storage). */
  storageDir: string;
  /** Folder relative certificate paths are resolved against (the config file's folder). */
  baseDir?: string;
  /** Used for the listener checks (default: the global fetch). */
  fetchImpl?: typeof fetch;
  logger?: Logger;
  /** Time allowed for each request to the listener. Default 5000 ms. */
  listenerTimeoutMs?: number;
  /** The engine's wake-up limit, if the host changed it. Default 6 per 20 minutes. */
  wakeUpGuard?: { max: number; windowMs: number };
  now?: () => number;
}
