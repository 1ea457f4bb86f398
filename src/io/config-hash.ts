/** The identity of a run: a hash of its resolved config (sweep resume and merge, checkpoint resume). */
import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../scenario/resolve.js';
import { canonicalJson } from '../scenario/canonical-json.js';

export { canonicalJson };

/**
 * sha256 (hex) of the canonical JSON of a resolved config without its name and the checkpoint write interval
 * (neither changes a result): the identity of a case.
 */
export function caseHash(config: ResolvedConfig): string {
  const { name: _name, output, ...rest } = config;
  const { checkpoint_min_interval_s: _interval, ...outputRest } = output;
  return createHash('sha256')
    .update(canonicalJson({ ...rest, output: outputRest }))
    .digest('hex');
}
