// Shell completion scripts for bash, zsh and fish, generated from the command
// tree itself (so a new flag completes without touching this file): command
// and subcommand names, each command's flags, and the values of flags with a
// fixed set of choices. Everything else falls back to file names.
// Hand-written rather than a library: tabtab/omelette complete by calling the
// CLI on every <Tab> (a Node start each time); a static script is instant.
import type { Command, Option } from 'commander';

interface Node {
  path: string[];
  subs: { name: string; description: string }[];
  /** Values of positional arguments with fixed choices (`completion <shell>`). */
  values: string[];
  options: { names: string[]; description: string; takesValue: boolean; choices?: readonly string[] }[];
}

function visibleOptions(cmd: Command): Option[] {
  return cmd.options.filter((o) => !o.hidden);
}

export function commandTree(root: Command): Node[] {
  const out: Node[] = [];
  const walk = (cmd: Command, path: string[]) => {
    const subs = cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
    out.push({
      path,
      subs: subs.map((c) => ({ name: c.name(), description: c.description() })),
      values: cmd.registeredArguments.flatMap((a) => a.argChoices ?? []),
      options: [
        ...visibleOptions(cmd).map((o) => ({
          names: [o.short, o.long].filter((x): x is string => !!x),
          description: o.description,
          takesValue: o.required || o.optional,
          ...(o.argChoices ? { choices: o.argChoices } : {}),
        })),
        { names: ['-h', '--help'], description: 'show help', takesValue: false },
      ],
    });
    for (const c of subs) walk(c, [...path, c.name()]);
  };
  walk(root, []);
  return out;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function bashScript(root: Command): string {
  const name = root.name();
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
  const tree = commandTree(root);
  const cases = tree.map((n) => {
    const key = [name, ...n.path].join(' ');
    const words = [...n.subs.map((s) => s.name), ...n.options.flatMap((o) => o.names)].join(' ');
    const valued = n.options.filter((o) => o.takesValue).flatMap((o) => o.names).join(' ');
    return `    ${q(key)}) subs=${q(n.subs.map((s) => s.name).join(' '))}; vals=${q(n.values.join(' '))}; words=${q(words)}; valued=${q(valued)} ;;`;
  });
  const choices = tree.flatMap((n) =>
    n.options.filter((o) => o.choices).flatMap((o) => o.names.map((flag) => `    ${q(`${[name, ...n.path].join(' ')}|${flag}`)}) COMPREPLY=($(compgen -W ${q(o.choices!.join(' '))} -- "$cur")); return ;;`)),
  );
  return `# ${name} completion for bash (and zsh through bashcompinit).
# Load it now:      source <(${name} completion bash)
# Or for good:      ${name} completion bash > ~/.local/share/bash-completion/completions/${name}
${fn}() {
  local cur prev path subs vals words valued i w
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  path=${q(name)}
  ${fn}_node() {
    case "$1" in
${cases.join('\n')}
      *) subs=''; vals=''; words=''; valued='' ;;
    esac
  }
  ${fn}_node "$path"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case " $subs " in *" $w "*) if [[ "$w" != -* ]]; then path="$path $w"; ${fn}_node "$path"; fi ;; esac
  done
  case "$path|$prev" in
${choices.join('\n')}
  esac
  if [[ " $valued " == *" $prev "* ]]; then COMPREPLY=($(compgen -f -- "$cur")); return; fi
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$words" -- "$cur")); return; fi
  if [[ -n "$vals" ]]; then COMPREPLY=($(compgen -W "$vals" -- "$cur")); return; fi
  COMPREPLY=($(compgen -W "$subs" -- "$cur") $(compgen -f -- "$cur"))
}
complete -o filenames -F ${fn} ${name}
`;
}

export function zshScript(root: Command): string {
  const name = root.name();
  return `#compdef ${name}
# ${name} completion for zsh: the bash completion through zsh's bashcompinit.
# Load it now:      source <(${name} completion zsh)
# Or for good:      ${name} completion zsh > "\${fpath[1]}/_${name}"
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashScript(root).split('\n').filter((l) => !l.startsWith('#')).join('\n')}`;
}

export function fishScript(root: Command): string {
  const name = root.name();
  const tree = commandTree(root);
  const fq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = [`# ${name} completion for fish.`, `# Load it now:      ${name} completion fish | source`, `# Or for good:      ${name} completion fish > ~/.config/fish/completions/${name}.fish`, `complete -c ${name} -f`];
  // "Exactly this path of subcommands so far": fish's __fish_seen_subcommand_from cannot tell `matrix merge` from `merge`.
  // `__kconform_path run -- SUBS`: the words typed so far (flags left out) start with this
  // command path and go no deeper (the next word is not one of its subcommands).
  lines.push(
    `function __${name}_path`,
    `  set -l want; set -l subs; set -l seen 0`,
    `  for a in $argv`,
    `    if test "$a" = '--'; set seen 1; continue; end`,
    `    if test $seen = 0; set want $want $a; else; set subs $subs $a; end`,
    `  end`,
    `  set -l got`,
    `  for w in (commandline -opc)[2..-1]`,
    `    string match -q -- '-*' $w; and continue`,
    `    set got $got $w`,
    `  end`,
    `  set -l n (count $want)`,
    `  test (count $got) -ge $n; or return 1`,
    `  for i in (seq 1 $n)`,
    `    test "$got[$i]" = "$want[$i]"; or return 1`,
    `  end`,
    `  test (count $got) -gt $n; or return 0`,
    `  contains -- $got[(math $n + 1)] $subs; and return 1`,
    `  return 0`,
    `end`,
  );
  for (const n of tree) {
    const cond = `-n ${fq(`__${name}_path ${[...n.path, '--', ...n.subs.map((x) => x.name)].join(' ')}`)}`;
    for (const s of n.subs) lines.push(`complete -c ${name} ${cond} -a ${fq(s.name)} -d ${fq(s.description.slice(0, 80))}`);
    if (n.values.length) lines.push(`complete -c ${name} ${cond} -a ${fq(n.values.join(' '))}`);
    for (const o of n.options) {
      const long = o.names.find((x) => x.startsWith('--'))?.slice(2);
      const short = o.names.find((x) => !x.startsWith('--'))?.slice(1);
      const parts = [`complete -c ${name} ${cond}`, long ? `-l ${long}` : '', short ? `-s ${short}` : '', o.choices ? `-x -a ${fq(o.choices.join(' '))}` : o.takesValue ? '-r -F' : '', `-d ${fq(o.description.slice(0, 80))}`];
      lines.push(parts.filter(Boolean).join(' '));
    }
  }
  return `${lines.join('\n')}\n`;
}
