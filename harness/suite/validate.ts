// Validates parsed suite data: the zod schema first, then the rules a schema
// cannot say (unique check names, usable template variable names).
import { Suite } from './schema.ts';
import { issuesToFindings, markDefaultMessages } from './messages.ts';
import type { Finding } from './messages.ts';
import { BUILTIN_VARS } from './template.ts';

export type SuiteValidation = { ok: true; suite: Suite; findings: [] } | { ok: false; findings: Finding[] };

export function validateSuiteData(data: unknown): SuiteValidation {
  const parsed = Suite.safeParse(data, { error: markDefaultMessages });
  const findings = [...(parsed.success ? [] : issuesToFindings(parsed.error.issues, data)), ...checkNameFindings(data), ...varNameFindings(data)];
  if (parsed.success && findings.length === 0) return { ok: true, suite: parsed.data, findings: [] };
  return { ok: false, findings };
}

/** Check names default to the kind; results are keyed `<suite>/<check name>`, so they must be unique. */
function checkNameFindings(data: unknown): Finding[] {
  const checks = field(data, 'checks');
  if (!Array.isArray(checks)) return [];
  const firstIndex = new Map<string, number>();
  const findings: Finding[] = [];
  checks.forEach((check: unknown, i) => {
    const explicit = field(check, 'name');
    const kind = field(check, 'kind');
    const name = typeof explicit === 'string' ? explicit : typeof kind === 'string' ? kind : undefined;
    if (name === undefined) return;
    const first = firstIndex.get(name);
    if (first === undefined) {
      firstIndex.set(name, i);
      return;
    }
    const message =
      typeof explicit === 'string'
        ? `duplicate check name '${name}', already used by checks[${first}]; expected a unique name`
        : `duplicate check name '${name}' (unnamed checks are named after their kind), already used by checks[${first}]; expected a unique name: add name: to one of them`;
    findings.push({ path: typeof explicit === 'string' ? ['checks', i, 'name'] : ['checks', i], at: 'value', message });
  });
  return findings;
}

/** Suite vars become `{{ vars.x }}` and `{{ x }}`; a name that cannot be written so, or that hides a builtin, is a mistake. */
function varNameFindings(data: unknown): Finding[] {
  const vars = field(data, 'vars');
  if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) return [];
  return Object.keys(vars).flatMap((key): Finding[] => {
    if ((BUILTIN_VARS as readonly string[]).includes(key) || key === 'vars') {
      return [{ path: ['vars', key], at: 'key', message: `'${key}' is a built-in template variable; expected another name (built-ins: ${BUILTIN_VARS.join(', ')})` }];
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      return [{ path: ['vars', key], at: 'key', message: `expected a variable name of letters, digits and _ (usable as {{ vars.name }}), got '${key}'` }];
    }
    return [];
  });
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}
