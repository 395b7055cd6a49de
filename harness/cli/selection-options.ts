// The flags that choose what runs, shared by run, conformance, matrix and grade:
// --grep/--grep-invert (repeatable), -l/--selector (kubectl syntax, repeatable:
// all must hold), --shard i/n and --list. Values are checked here once.
import type { Command } from 'commander';
import { compileSelection, parseSelector, parseShard, SelectorError, type Selection, type Shard } from '../plan/select.ts';
import { CliError, EXIT } from './exit-codes.ts';

export interface SelectionFlags {
  grep?: string[];
  grepInvert?: string[];
  selector?: string[];
  shard?: string;
  list?: boolean;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function addSelectionOptions(cmd: Command, what: { shardBy: 'check' | 'student' } = { shardBy: 'check' }): Command {
  return cmd
    .option('--grep <pattern>', 'only checks whose <suite>/<check> id contains this (or matches /regex/); repeatable', collect)
    .option('--grep-invert <pattern>', 'leave out checks whose id contains this (or matches /regex/); repeatable', collect)
    .option('-l, --selector <selector>', "label selector, kubectl syntax: 'area=network,!destructive', 'kind in (dns,http)'; repeatable (all must hold)", collect)
    .option('--shard <i/n>', what.shardBy === 'check' ? 'run only part i of n of the selected checks (CI machines; join with kconform merge)' : 'grade only part i of n of the students (CI machines; join with kconform merge)')
    .option('--list', 'print the plan (suite, check, labels, needs, destructive) and exit; no cluster is touched');
}

export function selectionOf(flags: SelectionFlags & { filter?: string }): { selection: Selection; shard?: Shard } {
  try {
    const selector = (flags.selector ?? []).flatMap((s) => parseSelector(s));
    const selection: Selection = {
      ...(flags.filter ? { filter: flags.filter } : {}),
      ...(flags.grep?.length ? { grep: flags.grep } : {}),
      ...(flags.grepInvert?.length ? { grepInvert: flags.grepInvert } : {}),
      ...(selector.length ? { selector } : {}),
    };
    compileSelection(selection); // the one place patterns compile: a bad /regex/ is named now, not mid-plan
    return { selection, ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}) };
  } catch (err) {
    if (err instanceof SelectorError) throw new CliError(err.message.startsWith('--') ? err.message : `--selector: ${err.message}`, EXIT.badInput);
    throw err;
  }
}
