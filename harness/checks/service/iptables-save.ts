// Reads the text `iptables-save` prints into tables, chains and rules. Pure;
// only the parts kube-proxy's rules use are interpreted (matches, target, the
// comment); everything else is kept as tokens.

export interface IptablesRule {
  chain: string;
  /** The rule's tokens after `-A <chain>`, quotes removed. */
  tokens: string[];
  /** The jump target (`-j X`), or the goto target (`-g X`). */
  target?: string;
  /** `-m comment --comment "..."`. */
  comment?: string;
  /** Source line number (1-based), for messages. */
  line: number;
}

export interface IptablesTable {
  name: string;
  /** Chains in the order they were declared, each with its rules in order. */
  chains: Map<string, IptablesRule[]>;
}

export type IptablesDump = Map<string, IptablesTable>;

/** Parses iptables-save output (any number of tables). Unknown lines are ignored. */
export function parseIptablesSave(text: string): IptablesDump {
  const dump: IptablesDump = new Map();
  let table: IptablesTable | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('*')) {
      table = { name: line.slice(1), chains: new Map() };
      dump.set(table.name, table);
      return;
    }
    if (!table) return;
    if (line === 'COMMIT') {
      table = undefined;
      return;
    }
    if (line.startsWith(':')) {
      const name = line.slice(1).split(/\s+/)[0];
      if (name && !table.chains.has(name)) table.chains.set(name, []);
      return;
    }
    if (line.startsWith('-A ')) {
      const tokens = tokenize(line);
      const chain = tokens[1];
      if (!chain) return;
      const rest = tokens.slice(2);
      const rule: IptablesRule = { chain, tokens: rest, line: i + 1 };
      const target = valueAfter(rest, '-j') ?? valueAfter(rest, '-g');
      if (target) rule.target = target;
      const comment = valueAfter(rest, '--comment');
      if (comment !== undefined) rule.comment = comment;
      if (!table.chains.has(chain)) table.chains.set(chain, []);
      table.chains.get(chain)!.push(rule);
    }
  });
  return dump;
}

/** The value following the first `flag` token. */
export function valueAfter(tokens: string[], flag: string): string | undefined {
  const i = tokens.indexOf(flag);
  return i >= 0 && i + 1 < tokens.length ? tokens[i + 1] : undefined;
}

/** Whether `flag value` appears, e.g. hasOption(t, '--mode', 'random'). */
export function hasOption(tokens: string[], flag: string, value: string): boolean {
  return tokens.some((t, i) => t === flag && tokens[i + 1] === value);
}

/**
 * Splits a rule line on blanks, keeping double-quoted words whole (iptables-save
 * quotes comments and escapes a quote inside as \").
 */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
        cur += line[++i];
      } else if (c === '"') {
        quoted = false;
      } else {
        cur += c;
      }
      continue;
    }
    if (c === '"') {
      quoted = true;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
