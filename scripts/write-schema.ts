/**
 * `npm run schema`: regenerate, from the zod config schema (src/scenario/config-schema.ts),
 *   schema/config.schema.json   the JSON Schema of the config (formatted by prettier, as `npm run lint` checks);
 *   docs/config.md              the config reference: key, type, default, description (prettier-ignored).
 * Unit tests check that both files are current.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import * as prettier from 'prettier';
import { configJsonSchema } from '../src/scenario/json-schema.js';
import { configReferenceMarkdown } from '../src/scenario/config-reference.js';

const schemaPath = 'schema/config.schema.json';
mkdirSync('schema', { recursive: true });
const options = (await prettier.resolveConfig(schemaPath)) ?? {};
writeFileSync(
  schemaPath,
  await prettier.format(JSON.stringify(configJsonSchema()), { ...options, filepath: schemaPath }),
);
console.log(`${schemaPath} written`);
mkdirSync('docs', { recursive: true });
writeFileSync('docs/config.md', configReferenceMarkdown());
console.log('docs/config.md written');
