import { createRequire } from 'node:module';

// Read once from package.json so reports and `--version` agree.
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const VERSION: string = pkg.version;
