/**
 * The one error hierarchy of user-fixable problems. Everything that extends `InputError` is reported by the CLI
 * as one paragraph (exit 1) naming the key or option, the value and what is allowed, never with a stack trace;
 * any other exception is a bug ("internal error", exit 3).
 *
 *   InputError
 *   ├── ConfigError         a config key (src/scenario/resolve.ts)
 *   ├── MeshInputError      a mesh that cannot be built from the config (src/mesh/errors.ts)
 *   ├── SweepError          a sweep file, axis or sweep option (src/scenario/sweep-cases.ts)
 *   ├── RunDirectoryError   an output directory (src/io/run-directory.ts)
 *   └── UserError           a command-line argument or input file (src/cli/)
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** A command-line argument or input file the user can fix. */
export class UserError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
