/**
 * `npm run schema`: regenerate, from the zod config schema (src/scenario/config-schema.ts),
 *   schema/config.schema.json   the JSON Schema of the config;
 *   docs/config.md              the config reference (key, type, default, description; prettier-ignored).
 * Unit tests check that both files are current.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { configJsonSchema } from '../src/scenario/json-schema.js';
import { configReferenceMarkdown } from '../src/scenario/config-reference.js';

mkdirSync('schema', { recursive: true });
writeFileSync('schema/config.schema.json', JSON.stringify(configJsonSchema(), null, 2) + '\n');
console.log('schema/config.schema.json written');
mkdirSync('docs', { recursive: true });
writeFileSync('docs/config.md', configReferenceMarkdown());
console.log('docs/config.md written');
