// The names --reporter takes, apart from the reporters themselves: flag parsing
// (a command's --help) needs the names, not the JUnit and JSON renderers.

export const STDOUT_REPORTERS = ['console', 'json', 'junit', 'github'] as const;
export type StdoutReporterName = (typeof STDOUT_REPORTERS)[number];

/** Comma-separated names -> list; unknown names come back in `bad`. At most one of json/junit (stdout holds one document). */
export function parseReporterList(text: string): { names: StdoutReporterName[]; bad: string[]; conflict: boolean } {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  const names = items.filter((i): i is StdoutReporterName => (STDOUT_REPORTERS as readonly string[]).includes(i));
  const bad = items.filter((i) => !(STDOUT_REPORTERS as readonly string[]).includes(i));
  const conflict = names.includes('json') && names.includes('junit');
  return { names: [...new Set(names)], bad, conflict };
}
