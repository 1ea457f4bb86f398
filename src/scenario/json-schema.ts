/** The config's JSON Schema, generated from the zod schema (the single source of truth). */
import { z } from 'zod';
import { ConfigSchema } from './config-schema.js';

export function configJsonSchema(): unknown {
  return z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' });
}
