// Loads a kubeconfig the way kubectl finds it (--kubeconfig, then $KUBECONFIG's
// list, then ~/.kube/config) and picks the context. Every failure is one line
// naming the file and the contexts that exist; file contents never reach a message.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { ClusterUnreachableError } from './errors.ts';
import { clusterProblem, userProblem, type EntryOrigin } from './kubeconfig-fields.ts';

const MAX_KUBECONFIG_BYTES = 4 * 1024 * 1024;

type Named = { name: string };

export interface LoadedKubeconfig {
  kc: KubeConfig;
  contextName: string;
  /** Server URL without any user:password part. */
  server: string;
  /** The files read, for messages. */
  files: string[];
}

export interface KubeconfigSource {
  kubeconfig?: string;
  context?: string;
  /** Defaults to process.env; a parameter so tests need not touch the real environment. */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Which files kubectl would read, and whether the user named them. */
export function kubeconfigFiles(src: KubeconfigSource): { files: string[]; explicit: 'flag' | 'env' | 'default' } {
  const env = src.env ?? process.env;
  if (src.kubeconfig) return { files: [src.kubeconfig], explicit: 'flag' };
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter((f) => f !== '');
  if (list.length > 0) return { files: list, explicit: 'env' };
  return { files: [path.join(src.home ?? homedir(), '.kube', 'config')], explicit: 'default' };
}

export function displayPath(file: string, home = homedir()): string {
  return home && file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}

function fail(message: string, cause?: unknown): never {
  throw new ClusterUnreachableError(message, { reason: 'KubeconfigInvalid', cause });
}

export function loadKubeconfig(src: KubeconfigSource): LoadedKubeconfig {
  const home = src.home ?? homedir();
  const { files, explicit } = kubeconfigFiles(src);
  const shown = files.map((f) => displayPath(f, home));
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0) {
    if (explicit === 'flag') fail(`kubeconfig ${shown[0]} not found`);
    if (explicit === 'env') fail(`no kubeconfig: none of the KUBECONFIG files exist (${shown.join(', ')})`);
    fail(`no kubeconfig: ${shown[0]} not found (pass --kubeconfig or set KUBECONFIG)`);
  }

  // kubectl's merge: the first file to define a name (or a current-context) wins.
  const merged = { clusters: [] as Named[], users: [] as Named[], contexts: [] as Named[], currentContext: '' };
  const origins = { clusters: new Map<string, EntryOrigin>(), users: new Map<string, EntryOrigin>() };
  for (const file of present) {
    const one = new KubeConfig();
    const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    if (size > MAX_KUBECONFIG_BYTES) fail(`kubeconfig ${displayPath(file, home)} is ${size} bytes; expected at most ${MAX_KUBECONFIG_BYTES} bytes`);
    try {
      one.loadFromFile(file);
    } catch (err) {
      fail(`kubeconfig ${displayPath(file, home)} is not valid: ${parseProblem(err)}`);
    }
    const add = (into: Named[], from: Named[], origin?: Map<string, EntryOrigin>) => {
      for (const [index, item] of from.entries()) {
        if (into.some((x) => x.name === item.name)) continue;
        into.push(item);
        origin?.set(item.name, { file, index });
      }
    };
    add(merged.clusters, one.getClusters(), origins.clusters);
    add(merged.users, one.getUsers(), origins.users);
    add(merged.contexts, one.getContexts());
    merged.currentContext ||= one.getCurrentContext() ?? '';
  }
  const kc = new KubeConfig();
  kc.loadFromOptions(merged);
  const where = present.map((f) => displayPath(f, home)).join(', ');
  const contexts = kc.getContexts().map((c) => c.name);
  const available = contexts.length > 0 ? `contexts: ${contexts.join(', ')}` : 'it has no contexts';

  const wanted = src.context ?? kc.getCurrentContext();
  if (!wanted) fail(`kubeconfig ${where} has no current-context; pass --context (${available})`);
  const ctx = kc.getContextObject(wanted);
  if (!ctx) fail(`context "${wanted}" not found in ${where} (${available})`);
  kc.setCurrentContext(wanted);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) fail(`context "${wanted}" in ${where} names cluster "${ctx.cluster}", which is not defined there`);
  if (ctx.user && !kc.getUser(ctx.user)) fail(`context "${wanted}" in ${where} names user "${ctx.user}", which is not defined there`);
  if (!cluster.server) fail(`cluster "${cluster.name}" in ${where} has no server URL`);
  const entryFail = (origin: EntryOrigin | undefined, problem: string | undefined) => {
    if (problem) fail(`kubeconfig ${displayPath(origin?.file ?? present[0]!, home)}: ${problem}`);
  };
  const clusterOrigin = origins.clusters.get(cluster.name);
  entryFail(clusterOrigin, clusterProblem(cluster, clusterOrigin?.index ?? 0));
  const user = ctx.user ? kc.getUser(ctx.user) : undefined;
  if (user) {
    const userOrigin = origins.users.get(user.name);
    entryFail(userOrigin, userProblem(user, userOrigin?.index ?? 0));
  }
  return { kc, contextName: wanted, server: safeServerUrl(cluster.server), files: present };
}

/** The server URL for messages: no user:password, no trailing slash. */
export function safeServerUrl(server: string): string {
  try {
    const u = new URL(server);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return server.replace(/\/\/[^/@]*@/, '//');
  }
}

/** js-yaml errors quote the offending lines, which may hold keys: keep the reason and the line only. */
function parseProblem(err: unknown): string {
  const e = err as { reason?: unknown; mark?: { line?: number; column?: number }; message?: unknown };
  if (typeof e.reason === 'string' && e.mark && typeof e.mark.line === 'number') {
    return `YAML error at line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1}: ${e.reason}`;
  }
  const msg = typeof e.message === 'string' ? e.message.split('\n')[0] ?? '' : String(err);
  // Entry-shape errors ("clusters[0].cluster.server is missing") carry no file content.
  return /^(clusters|users|contexts)\[\d+\]/.test(msg) ? msg : 'not a kubeconfig (YAML with clusters, users, contexts)';
}
