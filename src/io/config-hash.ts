/** The identity of a run: a hash of its resolved config (sweep resume and merge, checkpoint resume). */
import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../scenario/resolve.js';
import { canonicalJson, caseIdentity } from '../scenario/canonical-json.js';

export { canonicalJson };

/**
 * sha256 (hex) of `caseIdentity`: the canonical JSON of a resolved config without its name and the checkpoint
 * write interval (neither changes a result): the identity of a case.
 */
export function caseHash(config: ResolvedConfig): string {
  return createHash('sha256').update(caseIdentity(config)).digest('hex');
}
