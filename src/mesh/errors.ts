/**
 * Errors the mesher raises.
 *
 * `MeshInputError` is a *user* error: the spec asks for something impossible or unreasonable. Its message always
 * names the offending key, the value received and the allowed range, so the CLI can print it as one paragraph
 * without a stack trace. Anything else thrown by the mesher is a bug.
 */
import { InputError } from '../errors.js';

export class MeshInputError extends InputError {
  /** Dotted key of the spec entry that is wrong, e.g. `porosity.center`. */
  readonly key: string;
  readonly value: unknown;
  readonly allowed: string;

  constructor(key: string, value: unknown, allowed: string, detail?: string) {
    const shown = typeof value === 'number' || typeof value === 'string' ? String(value) : JSON.stringify(value);
    super(`mesh spec: ${key} = ${shown} is not allowed; allowed: ${allowed}${detail ? `. ${detail}` : ''}`);
    this.name = 'MeshInputError';
    this.key = key;
    this.value = value;
    this.allowed = allowed;
  }
}

/** Internal consistency failure of the mesher (a bug, not a user error). */
export class MeshInternalError extends Error {
  constructor(message: string) {
    super(`mesher internal error: ${message}`);
    this.name = 'MeshInternalError';
  }
}
