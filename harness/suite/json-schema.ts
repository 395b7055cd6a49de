// The suite schema as JSON Schema, for editors: a suite file that starts with
//   # yaml-language-server: $schema=./kconform-suite.schema.json
// (the path is relative to the suite file) gets completion, hover docs and checks
// in VS Code (Red Hat YAML extension) and other editors using yaml-language-server.
// The committed copy is suites/kconform-suite.schema.json; regenerate it with
// `npm run schema` (the CLI's schema command) or `node harness/suite/json-schema.ts`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SUITE_SCHEMA_ID, suiteJsonSchema } from './schema.ts';

export { SUITE_SCHEMA_ID };
export const COMMITTED_SCHEMA_PATH = path.resolve(import.meta.dirname, '../../suites/kconform-suite.schema.json');
export const REGENERATE_COMMAND = 'npm run schema';

/** The schema document (zod's output with an $id and a title). */
export function suiteSchemaDocument(): Record<string, unknown> {
  return suiteJsonSchema();
}

/** The exact text of the committed file: 2-space JSON and a trailing newline, as `kconform schema` prints it. */
export function suiteSchemaText(): string {
  return `${JSON.stringify(suiteSchemaDocument(), null, 2)}\n`;
}

export async function writeSuiteSchema(out = COMMITTED_SCHEMA_PATH): Promise<string> {
  await writeFile(out, suiteSchemaText());
  return out;
}

if (import.meta.main) {
  const out = await writeSuiteSchema(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
