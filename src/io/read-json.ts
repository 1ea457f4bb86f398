/** Reading the JSON files a user gives (configs, sweep files). */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

/** Read and parse a JSON file, with errors that name the file and the position. */
export function readJsonFile(path: string, what = 'config'): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(
      `Cannot read the ${what} file "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
    );
  }
  // A UTF-8 byte-order mark (some editors write one) is not JSON but carries no meaning: drop it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`The ${what} file "${path}" is not valid JSON: ${(e as Error).message}.`);
  }
}
