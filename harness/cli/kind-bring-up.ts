// Bring-up of a kind cluster from the CLI flags, shared by `cluster up` (bringUp)
// and the run session's kind provider (`run --provider kind`, `conformance`, matrix
// cells): Docker set up if needed, images built if missing, kind cluster; every
// failure one line (CliError, exit 3) naming its cause.
import { dockerAvailable } from '../cluster/docker.ts';
import { CniPitfallError, kindProvider, kindUp, MissingImagesError, type KindCluster, type KindUpOptions } from '../cluster/kind/provider.ts';
import { parseRegistryMirror, type RegistryMirror } from '../cluster/kind/registry-mirror.ts';
import { MirrorUnreachableError } from '../cluster/kind/mirror-reach.ts';
import type { ClusterProvider } from '../cluster/provider.ts';
import { runImageScript, ScriptError } from '../images/scripts.ts';
import { ProgramMissingError } from '../programs.ts';
import { KindError } from '../cluster/kind/kind-cli.ts';
import { WaitTimeoutError } from '../kube/errors.ts';
import { CliError, EXIT } from './exit-codes.ts';
import type { StepPrinter } from './progress.ts';
import { imageSourceOptions } from './image-source-options.ts';
import { parseImageRepository } from '../cluster/kind/config.ts';
import type { ClusterFlags } from './cluster-options.ts';

function imageRepositoryFlag(text: string): string {
  try {
    return parseImageRepository(text);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err), EXIT.badInput);
  }
}

export function parseMirrors(flags: Pick<ClusterFlags, 'registryMirror'>): RegistryMirror[] {
  try {
    return (flags.registryMirror ?? []).map(parseRegistryMirror);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err), EXIT.badInput);
  }
}

/** `cluster up`: the kind cluster of these flags, made and ready; the caller deletes it (release) unless kept. */
export async function bringUp(flags: ClusterFlags, out: StepPrinter, signal: AbortSignal, opts: { keep?: boolean } = {}): Promise<KindCluster> {
  const o = kindOptionsOf(flags, out, opts);
  return await asCliError(async () => kindUp(await prepare(flags, o, out, signal), (step, detail) => out.step(step, detail), signal));
}

/** The run session's kind provider for these flags: opening sets Docker up, builds missing images, creates the cluster. */
export function kindProviderOf(flags: ClusterFlags, out: StepPrinter, opts: { keep?: boolean; onRelease?: (c: KindCluster) => void } = {}): ClusterProvider {
  const o = kindOptionsOf(flags, out, opts);
  const progress = (step: string, detail?: string) => out.step(step, detail);
  const inner = kindProvider(o, progress, opts.onRelease ? { onRelease: opts.onRelease } : {});
  return {
    ...inner,
    open: (signal) => asCliError(async () => kindProvider(await prepare(flags, o, out, signal), progress, opts.onRelease ? { onRelease: opts.onRelease } : {}).open(signal)),
  };
}

/** The flags as kindUp options, checked (bad input is exit 2 before anything starts). */
function kindOptionsOf(flags: ClusterFlags, out: StepPrinter, opts: { keep?: boolean }): KindUpOptions {
  const nodes = Number(flags.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 10) throw new CliError(`--nodes: expected a whole number from 1 to 10, got '${flags.nodes}'`, EXIT.badInput);
  const mirrors = parseMirrors(flags);
  const imageRepository = flags.imageRepository === undefined ? undefined : imageRepositoryFlag(flags.imageRepository);
  return {
    name: flags.name,
    nodes,
    cni: flags.cni,
    cri: flags.cri,
    ...(flags.k8sVersion ? { kubernetesVersion: flags.k8sVersion } : {}),
    ...(flags.podSubnet ? { podSubnet: flags.podSubnet } : {}),
    ...(flags.serviceSubnet ? { serviceSubnet: flags.serviceSubnet } : {}),
    ...(flags.nodeImage ? { nodeImage: flags.nodeImage } : {}),
    ...(mirrors.length ? { registryMirrors: mirrors } : {}),
    ...(flags.pullImages ? { pullImages: true } : {}),
    ...(flags.cniPluginsDir ? { cniPluginsDir: flags.cniPluginsDir } : {}),
    ...(imageRepository ? { imageRepository } : {}),
    reuse: !!flags.reuse,
    keep: opts.keep ?? !!flags.keepCluster,
  };
}

/** Docker set up if it is not usable, and where images come from (pull, build, mirror). */
async function prepare(flags: ClusterFlags, o: KindUpOptions, out: StepPrinter, signal: AbortSignal): Promise<KindUpOptions> {
  const docker = await dockerAvailable();
  if (!docker.ok) {
    out.step('setting up Docker', docker.reason);
    await runImageScript('setup-host.sh', [], { onLine: (l) => out.line(`    ${l}`), signal });
  }
  const source = await imageSourceOptions(flags, o.registryMirrors ?? [], out, signal);
  return {
    ...o,
    ...source,
    buildImages: async (missing) => {
      out.step('building images', `${missing.length} missing: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}`);
      await runImageScript('build.sh', [...(flags.k8sVersion ? ['--k8s-version', flags.k8sVersion] : []), '--cri', flags.cri, '--cni', flags.cni], { onLine: (l) => out.line(`    ${l}`), signal });
    },
  };
}

/** Creation failures as one line with their cause (exit 3), not internal errors. */
async function asCliError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof MissingImagesError || err instanceof CniPitfallError || err instanceof MirrorUnreachableError) throw new CliError(err.message, EXIT.harnessError);
    if (err instanceof KindError || err instanceof WaitTimeoutError) throw new CliError(err.message, EXIT.harnessError);
    // A program that cannot be started, or a setup/build script that failed: one line with its cause, not an internal error.
    if (err instanceof ProgramMissingError || err instanceof ScriptError) throw new CliError(err.message, EXIT.harnessError);
    // The provider's own plain errors ("a kind cluster named X exists already", "Docker is not usable") are causes, not bugs.
    if (err instanceof Error && err.constructor === Error) throw new CliError(err.message, EXIT.harnessError);
    throw err;
  }
}
