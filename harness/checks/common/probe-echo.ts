// What a probe answer must contain to count: the run's nonce echoed back, an
// address that parses, a name from the expected set. Pure; every probing check
// uses these so a stub answering "ok" fails the same way everywhere.

/** The message a probe asks the server to echo: unique per run, target and try. */
export function echoMessage(nonce: string, ...parts: (string | number)[]): string {
  return ['kconform', nonce, ...parts].join('-');
}

/** A problem in words when `answer` is not exactly `expected`, else undefined. */
export function echoProblem(answer: string, expected: string): string | undefined {
  if (answer === expected) return undefined;
  if (answer.trim() === expected) return undefined;
  return `echo mismatch: expected ${JSON.stringify(expected)}, got ${quoteAnswer(answer)}`;
}

/** "10.244.1.5:43210" or "[fd00::5]:43210" -> ip and port. */
export function parseHostPort(text: string): { ip: string; port: number } | undefined {
  const t = text.trim();
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(t);
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(t);
  const m = v6 ?? v4;
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { ip: m[1]!, port };
}

export function isIp(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) || (/^[0-9a-fA-F:]+$/.test(text) && text.includes(':'));
}

/** An answer for a message: quoted, one line, cut short. */
export function quoteAnswer(answer: string, max = 60): string {
  if (answer === '') return 'an empty answer';
  const flat = answer.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}
