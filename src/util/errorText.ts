/** The message of a thrown error, or the thrown value as text (for log lines and explanations). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
