// kconform.config.yaml: default flag values, under the flags' own long names,
// read from --config FILE, else ./kconform.config.yaml, else
// ./suites/kconform.config.yaml. Top-level keys apply to every command that has
// that flag; a section named after a command (run, grade, conformance, "matrix
// merge"...) applies to that command only and wins. A flag given on the command
// line (or by an environment variable) always wins over the file. Problems are
// reported like suite problems: file:line:col, what was expected, did you mean.
// Loaded only when a config file exists (config-hook.ts finds it): yaml is not
// loaded at every start.
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { Command, Option } from 'commander';
import { didYouMean } from '../suite/did-you-mean.ts';
import { CliError, EXIT } from './exit-codes.ts';

/** Flags that make no sense as a default (they select a one-off action or a file to read). */
const NOT_IN_CONFIG = new Set(['help', 'version', 'config', 'list', 'rerun-failed', 'shard']);

/** Flags given many times on a command line (a list in the file). */
const REPEATABLE = new Set(['grep', 'grep-invert', 'selector']);

type Value = string | number | boolean | string[];

export interface ConfigProblem {
  line: number;
  column: number;
  message: string;
}

export interface ConfigFile {
  file: string;
  /** section ('' = top level) -> flag name -> value and where it was written. */
  sections: Map<string, Map<string, { value: Value; line: number; column: number }>>;
}

/** Long flag names of a command ('output-dir', 'read-only' for --no-read-only too). */
function flagNames(cmd: Command): Map<string, Option[]> {
  const out = new Map<string, Option[]>();
  for (const o of cmd.options) {
    const long = o.long?.replace(/^--(no-)?/, '');
    if (!long || NOT_IN_CONFIG.has(long)) continue;
    out.set(long, [...(out.get(long) ?? []), o]);
  }
  return out;
}

function commandsByPath(root: Command): Map<string, Command> {
  const out = new Map<string, Command>();
  const walk = (c: Command, p: string[]) => {
    for (const s of c.commands) {
      const sp = [...p, s.name()];
      out.set(sp.join(' '), s);
      walk(s, sp);
    }
  };
  walk(root, []);
  return out;
}

/** Parses and checks the file against the program's flags; every problem at once. */
export function parseConfig(text: string, file: string, root: Command): ConfigFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = [];
  const at = (node: { range?: [number, number, number?] | null } | null | undefined) => lc.linePos(node?.range?.[0] ?? 0);
  for (const e of doc.errors) {
    const pos = lc.linePos(e.pos[0]);
    problems.push({ line: pos.line, column: pos.col, message: e.message.split('\n')[0] ?? 'YAML error' });
  }
  const sections: ConfigFile['sections'] = new Map([['', new Map()]]);
  const commands = commandsByPath(root);
  const allFlags = new Set<string>();
  for (const c of commands.values()) for (const f of flagNames(c).keys()) allFlags.add(f);
  if (!problems.length && doc.contents !== null && !isMap(doc.contents)) problems.push({ line: 1, column: 1, message: 'expected a map of flag names to values' });
  const readValue = (pair: Pair, where: string, known: Set<string>, into: Map<string, { value: Value; line: number; column: number }>) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const pos = at(pair.key as Node);
    if (!known.has(key)) {
      const candidates = [...known];
      problems.push({ line: pos.line, column: pos.col, message: `${where}${key}: unknown flag${didYouMean(key, candidates)}` });
      return;
    }
    const v = pair.value as Node | null;
    const vpos = at(v ?? (pair.key as Node));
    if (isScalar(v) && ['string', 'number', 'boolean'].includes(typeof v.value)) into.set(key, { value: v.value as string | number | boolean, line: vpos.line, column: vpos.col });
    else if (isSeq(v) && v.items.every((i) => isScalar(i) && typeof i.value === 'string')) into.set(key, { value: v.items.map((i) => String((i as { value: unknown }).value)), line: vpos.line, column: vpos.col });
    else problems.push({ line: vpos.line, column: vpos.col, message: `${where}${key}: expected a string, number, true/false or a list of strings` });
  };
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const cmd = commands.get(key);
      if (cmd && isMap(pair.value)) {
        const known = new Set(flagNames(cmd).keys());
        const into = new Map();
        for (const p of pair.value.items) readValue(p, `${key}.`, known, into);
        sections.set(key, into);
      } else if (cmd && !allFlags.has(key)) {
        const pos = at(pair.value as Node);
        problems.push({ line: pos.line, column: pos.col, message: `${key}: expected a map of ${key}'s flags` });
      } else {
        const known = new Set([...allFlags]);
        if (!known.has(key) && !cmd) {
          const pos = at(pair.key as Node);
          problems.push({ line: pos.line, column: pos.col, message: `${key}: unknown flag or command${didYouMean(key, [...allFlags, ...commands.keys()])}` });
        } else readValue(pair, '', known, sections.get('')!);
      }
    }
  }
  if (problems.length) {
    const rel = path.relative(process.cwd(), file) || file;
    throw new CliError(problems.map((p) => `${rel}:${p.line}:${p.column} ${p.message}`).join('\n'), EXIT.badInput);
  }
  return { file, sections };
}

/** Sets every flag the command line left at its default from the config (source 'config'). */
export function applyConfig(config: ConfigFile, action: Command, actionPath: string): string[] {
  const flags = flagNames(action);
  const applied: string[] = [];
  const values = new Map([...(config.sections.get('') ?? new Map()), ...(config.sections.get(actionPath) ?? new Map())]);
  for (const [name, { value, line, column }] of values) {
    const opts = flags.get(name);
    if (!opts) continue; // a top-level key for other commands
    const where = `${path.relative(process.cwd(), config.file) || config.file}:${line}:${column}`;
    const positive = opts.find((o) => !o.negate);
    const negative = opts.find((o) => o.negate);
    const key = (positive ?? negative)!.attributeName();
    const src = action.getOptionValueSource(key);
    if (src === 'cli' || src === 'env' || src === 'implied') continue;
    let v: unknown;
    if (typeof value === 'boolean') {
      if (value === false && negative) v = false;
      else if (positive && !positive.required && !positive.optional) v = value;
      else if (value === false && positive && !negative) v = undefined;
      else throw new CliError(`${where} ${name}: expected a value, not ${value}`, EXIT.badInput);
    } else if (positive && (positive.required || positive.optional)) {
      const list = Array.isArray(value) ? value : [String(value)];
      const collects = positive.variadic || REPEATABLE.has(name);
      if (positive.argChoices) for (const x of list) if (!positive.argChoices.includes(x)) throw new CliError(`${where} ${name}: expected one of ${positive.argChoices.join(', ')}, got '${x}'`, EXIT.badInput);
      v = collects ? list : list.length === 1 ? list[0] : (() => { throw new CliError(`${where} ${name}: expected one value, got a list`, EXIT.badInput); })();
    } else {
      throw new CliError(`${where} ${name}: expected true or false`, EXIT.badInput);
    }
    if (v === undefined) continue;
    action.setOptionValueWithSource(key, v, 'config');
    applied.push(name);
  }
  return applied;
}
