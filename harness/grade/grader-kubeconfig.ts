// The student's side of grading: what to apply before `kconform rbac`'s roles
// (the grader's Namespace and ServiceAccount), and the kubeconfig they hand in:
// their cluster's server and CA, and a short-lived token of that ServiceAccount
// (TokenRequest API, what `kubectl create token` calls), or a token they made.
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeconfig } from '../kube/config.ts';
import { RestClient } from '../kube/rest.ts';
import type { Subject } from './rbac.ts';

/** Namespace and ServiceAccount documents for a ServiceAccount subject (nothing for a user or group). */
export function identityYaml(subject: Subject): string {
  if (subject.kind !== 'ServiceAccount') return '';
  const ns = subject.namespace ?? 'default';
  return [
    `# The grader's identity: ServiceAccount ${ns}/${subject.name}.`,
    '---',
    'apiVersion: v1',
    'kind: Namespace',
    'metadata:',
    `  name: ${ns}`,
    '---',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    `  name: ${subject.name}`,
    `  namespace: ${ns}`,
    '',
  ].join('\n');
}

/** Closing comment of `kconform rbac`: how the student turns this into the kubeconfig they hand in. */
export function handInSteps(subject: Subject, suitesArg: string): string {
  if (subject.kind !== 'ServiceAccount') return `# Then give the grader a kubeconfig for ${subject.kind} ${subject.name} (certificate or token of your own making).\n`;
  const sa = `${subject.namespace ?? 'default'}/${subject.name}`;
  return [
    '# Apply all of the above with your admin kubeconfig:',
    `#   npx kconform rbac ${suitesArg} | kubectl apply -f -`,
    '# then write the kubeconfig you hand in (a token of this ServiceAccount, valid 24h):',
    `#   npx kconform rbac kubeconfig --service-account ${sa} --duration 24h --file grader.kubeconfig`,
    `# (without kconform: kubectl create token ${subject.name} -n ${subject.namespace ?? 'default'} --duration 24h, then`,
    `#  npx kconform rbac kubeconfig --service-account ${sa} --from-token - --file grader.kubeconfig < token.txt)`,
    '',
  ].join('\n');
}

export interface TokenResult {
  token: string;
  /** RFC 3339, from the API server (absent for a token given with --from-token). */
  expires?: string;
}

export const MIN_TOKEN_SECONDS = 600; // the API server refuses shorter TokenRequests

/** A token for the ServiceAccount, through the TokenRequest API, as `kubectl create token`. */
export async function requestToken(rest: RestClient, sa: { namespace: string; name: string }, seconds: number): Promise<TokenResult> {
  const r = await rest.json<{ status?: { token?: string; expirationTimestamp?: string } }>({
    method: 'POST',
    path: `/api/v1/namespaces/${encodeURIComponent(sa.namespace)}/serviceaccounts/${encodeURIComponent(sa.name)}/token`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: seconds } },
    about: { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace, label: `token of ServiceAccount ${sa.name} (ns ${sa.namespace})` },
  });
  const token = r.status?.token;
  if (!token) throw new Error(`the API server returned no token for ServiceAccount ${sa.namespace}/${sa.name}`);
  return { token, ...(r.status?.expirationTimestamp ? { expires: r.status.expirationTimestamp } : {}) };
}

export interface ClusterEndpoint {
  /** Name of the cluster entry (the admin kubeconfig's). */
  name: string;
  server: string;
  caData?: string;
  insecure?: boolean;
}

/** Server and CA of the current context, the CA inlined (a file path means nothing on the grader's machine). */
export async function endpointOf(kc: KubeConfig, serverOverride?: string): Promise<ClusterEndpoint> {
  const c = kc.getCurrentCluster();
  if (!c) throw new Error('the kubeconfig has no current cluster');
  const caData = c.caData ?? (c.caFile ? (await readFile(c.caFile)).toString('base64') : undefined);
  return { name: c.name, server: serverOverride ?? c.server, ...(caData ? { caData } : {}), ...(c.skipTLSVerify ? { insecure: true } : {}) };
}

export function renderGraderKubeconfig(endpoint: ClusterEndpoint, user: string, token: TokenResult): string {
  const cluster: Record<string, unknown> = { server: endpoint.server };
  if (endpoint.caData) cluster['certificate-authority-data'] = endpoint.caData;
  if (endpoint.insecure) cluster['insecure-skip-tls-verify'] = true;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: endpoint.name, cluster }],
    users: [{ name: user, user: { token: token.token } }],
    contexts: [{ name: user, context: { cluster: endpoint.name, user } }],
    'current-context': user,
  };
  const head = `# kconform grader kubeconfig: ${user} on ${endpoint.server}${token.expires ? `; the token expires ${token.expires}` : ''}\n`;
  return head + stringify(doc);
}

/** Reads a token from a file or stdin ('-'): first line, trimmed; bounded. */
export async function readToken(from: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let text: string;
  if (from === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of stdin) {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(String(c));
      size += b.length;
      if (size > 64 * 1024) throw new Error('--from-token -: more than 64 KiB on stdin; expected one token');
      chunks.push(b);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    text = await readFile(from, 'utf8');
  }
  const token = text.trim().split(/\r?\n/)[0]?.trim() ?? '';
  if (!/^[A-Za-z0-9._~+/=-]{20,8192}$/.test(token)) throw new Error(`--from-token ${from === '-' ? '-' : from}: expected one bearer token (a JWT like eyJ...), found something else`);
  return token;
}

/** The whole `rbac kubeconfig` step: load the admin kubeconfig, get or read the token, render. */
export async function graderKubeconfig(opts: {
  kubeconfig?: string;
  context?: string;
  serviceAccount: { namespace: string; name: string };
  seconds: number;
  fromToken?: string;
  server?: string;
}): Promise<string> {
  const loaded = loadKubeconfig({ ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}) });
  const endpoint = await endpointOf(loaded.kc, opts.server);
  let token: TokenResult;
  if (opts.fromToken) token = { token: await readToken(opts.fromToken) };
  else {
    const rest = new RestClient(loaded.kc, loaded.contextName, loaded.server);
    try {
      token = await requestToken(rest, opts.serviceAccount, opts.seconds);
    } finally {
      await rest.close();
    }
  }
  return renderGraderKubeconfig(endpoint, `${opts.serviceAccount.namespace}-${opts.serviceAccount.name}`, token);
}
