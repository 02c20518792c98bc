/** What the engine makes of an error: the words it shows, and whether only the user can fix it. */
import { StellantisApiError } from '../stellantis/errors';
import { errorText } from '../util/errorText';

/** The plain-language explanation of an API error, else the error's message. */
export function explainError(err: unknown): string {
  if (err instanceof StellantisApiError) return err.explanation;
  return errorText(err);
}

/** Errors that need the user (login, configuration): retrying on a timer would not help. */
export function needsUser(err: unknown): boolean {
  if (err instanceof StellantisApiError) return err.status !== 429 && err.status < 500;
  const name = err instanceof Error ? err.name : '';
  return ['NotLoggedInError', 'LoginExpiredError', 'ClientConfigError', 'TlsConfigError', 'UnsupportedOperationError', 'OAuthError'].includes(name);
}
