// The result type at the numeric module's public boundary: problems with the
// inputs (a missing value, inconsistent sizes, a singular matrix, a term that
// cannot be evaluated) come back as values with a readable message, never as
// exceptions.

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(message: string): Result<T> {
  return { ok: false, message };
}
