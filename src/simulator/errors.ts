import type { Response } from 'express';
import { nowIso, uuid } from './ids';

/** A request error answered with the API's error shape `{code, uuid, message, timestamp}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The two digits after the status in `code` (e.g. 99 -> 40499). */
    readonly detail = 0,
  ) {
    super(message);
  }
}

export function errorBody(status: number, message: string, detail = 0) {
  return { code: status * 100 + detail, uuid: uuid(), message, timestamp: nowIso() };
}

export function sendApiError(res: Response, status: number, message: string, detail = 0): void {
  res.status(status).json(errorBody(status, message, detail));
}
