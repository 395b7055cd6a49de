// Every command of kconform: its name, what `kconform --help` lists for it, and how
// to load it. A command's module (and the libraries it pulls in: the Kubernetes
// client, undici, execa...) is imported only when that command runs, so
// `--version`, `--help` and `validate` start in a blink. A new command is one entry
// here; command-index.test.ts fails until `usage` and `description` match what the
// command's module registers.
import type { Command } from 'commander';

export interface CommandEntry {
  name: string;
  /** What follows the name in the command list, as commander writes it: `[options] [suites...]`. */
  usage: string;
  description: string;
  /** Imports the command's module and returns the function that adds it to the program. */
  load(): Promise<(program: Command) => void>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'run',
    usage: '[options] [suites...]',
    description: 'Run suites against a cluster: an existing one (--provider kubeconfig, the default) or a kind cluster created for the run (--provider kind)',
    load: async () => (await import('./commands/run.ts')).registerRun,
  },
  {
    name: 'validate',
    usage: '[paths...]',
    description: 'Check suite files against the schema without touching any cluster',
    load: async () => (await import('./commands/validate.ts')).registerValidate,
  },
  {
    name: 'schema',
    usage: '[options]',
    description: 'Print the JSON Schema of suite files (for editors and CI linting)',
    load: async () => (await import('./commands/schema.ts')).registerSchema,
  },
  {
    name: 'clean',
    usage: '[options]',
    description: 'Delete what kconform left in a cluster (namespaces and objects labelled by kconform)',
    load: async () => (await import('./commands/clean.ts')).registerClean,
  },
  {
    name: 'conformance',
    usage: '[options] [suites...]',
    description:
      "The whole job: set up Docker, build images if missing, create a kind cluster (shaped by the flags and the suites' cluster: blocks), run every suite, write reports, delete the cluster",
    load: async () => (await import('./commands/conformance.ts')).registerConformance,
  },
  {
    name: 'setup',
    usage: '',
    description: 'Prepare this machine: install and start Docker if needed, make privileged containers work, raise inotify limits',
    load: async () => (await import('./commands/setup.ts')).registerSetup,
  },
  {
    name: 'images',
    usage: '',
    description: 'Build, list and import the images a cluster needs (offline builder)',
    load: async () => (await import('./commands/images.ts')).registerImages,
  },
  {
    name: 'cluster',
    usage: '',
    description: 'Create, inspect and delete kind test clusters',
    load: async () => (await import('./commands/cluster.ts')).registerCluster,
  },
  {
    name: 'grade',
    usage: '[options]',
    description: "Grade students' clusters: run an assignment against every kubeconfig in a folder and write a score sheet",
    load: async () => (await import('./commands/grade.ts')).registerGrade,
  },
  {
    name: 'rbac',
    usage: '[options] [suites...]',
    description:
      "Print everything a student applies so kconform can grade their cluster: the grader's Namespace and ServiceAccount, the minimal ClusterRole/Role and bindings; `rbac kubeconfig` then writes the kubeconfig to hand in",
    load: async () => (await import('./commands/rbac.ts')).registerRbac,
  },
  {
    name: 'matrix',
    usage: '[options] [suites...]',
    description: 'Run the CNI x CRI matrix here, cell after cell (create, run suites, delete); write the merged table to <reports>/matrix/',
    load: async () => (await import('./commands/matrix.ts')).registerMatrix,
  },
  {
    name: 'merge',
    usage: '[options] <dirs...>',
    description: 'Join the reports of shards (run --shard i/n or grade --shard i/n, e.g. downloaded CI artifacts) into the reports one machine would have written',
    load: async () => (await import('./commands/merge.ts')).registerMerge,
  },
  {
    name: 'completion',
    usage: '<shell>',
    description: 'Print a shell completion script (commands, flags, flag values)',
    load: async () => (await import('./commands/completion.ts')).registerCompletion,
  },
];

/** The command argv asks for (`kconform help X` asks for X), if the index has it. */
export function commandNamed(argv: readonly string[], valueOptions: readonly string[] = []): CommandEntry | undefined {
  // The root's options that take a value (main.ts reads them from the root command) are skipped with their value.
  const first = argv.findIndex((a, i) => !a.startsWith('-') && !valueOptions.includes(argv[i - 1] ?? ''));
  if (first < 0) return undefined;
  const name = argv[first] === 'help' ? argv[first + 1] : argv[first];
  return COMMANDS.find((c) => c.name === name);
}
