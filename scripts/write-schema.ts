/** Regenerate schema/config.schema.json from the zod config schema (`npm run schema`). */
import { writeFileSync, mkdirSync } from 'node:fs';
import { configJsonSchema } from '../src/scenario/json-schema.js';

mkdirSync('schema', { recursive: true });
writeFileSync('schema/config.schema.json', JSON.stringify(configJsonSchema(), null, 2) + '\n');
console.log('schema/config.schema.json written');
