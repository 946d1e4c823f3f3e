/**
 * Errors at the edge are values, not exceptions: every operation that can fail for a
 * reason the caller should handle returns a Result, so a bad value or a dropped
 * connection is visible in the type and cannot escape as an unhandled rejection.
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
