// Checks the cluster and user entries a context will use, field by field, before
// anything connects: a garbage server URL, user:password in the URL, or key data
// that is not a PEM key would otherwise surface as "internal error" or "cannot
// reach". Each problem names the file and the field (`users[0].user.client-key-data:
// not a PEM key`) and never quotes the value.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Cluster, User } from '@kubernetes/client-node';

/** Where an entry was defined: the file and its index in that file's list. */
export interface EntryOrigin {
  file: string;
  index: number;
}

const MAX_PEM_FILE_BYTES = 1024 * 1024;

/** The first problem of the cluster entry, as `clusters[i].cluster.<field>: <what is wrong>`. */
export function clusterProblem(c: Cluster, index: number): string | undefined {
  const at = (field: string) => `clusters[${index}].cluster.${field}`;
  const url = serverProblem(c.server);
  if (url) return `${at('server')}: ${url}`;
  if (c.server.startsWith('http:') && !c.skipTLSVerify) return `${at('server')}: expected an https:// URL (plain http:// is refused unless insecure-skip-tls-verify is true)`;
  if (c.proxyUrl !== undefined && c.proxyUrl !== '') {
    const u = parseUrl(c.proxyUrl);
    if (!u || !/^(https?|socks[45]?h?):$/.test(u.protocol)) return `${at('proxy-url')}: not a URL like http://proxy:3128`;
  }
  const ca = c.caData || c.caFile ? credential(c.caData, c.caFile, 'certificate', at(c.caData ? 'certificate-authority-data' : 'certificate-authority')) : undefined;
  return ca && 'problem' in ca ? ca.problem : undefined;
}

/** The first problem of the user entry, as `users[i].user.<field>: <what is wrong>`. */
export function userProblem(u: User, index: number): string | undefined {
  const at = (field: string) => `users[${index}].user.${field}`;
  const certField = u.certData ? 'client-certificate-data' : u.certFile ? 'client-certificate' : undefined;
  const keyField = u.keyData ? 'client-key-data' : u.keyFile ? 'client-key' : undefined;
  const cert = certField ? credential(u.certData, u.certFile, 'certificate', at(certField)) : undefined;
  if (cert && 'problem' in cert) return cert.problem;
  const key = keyField ? credential(u.keyData, u.keyFile, 'key', at(keyField)) : undefined;
  if (key && 'problem' in key) return key.problem;
  if (cert && !key) return `${at(certField!)}: given without client-key-data or client-key; expected both`;
  if (key && !cert) return `${at(keyField!)}: given without client-certificate-data or client-certificate; expected both`;
  if (cert && key && !new X509Certificate(cert.text).checkPrivateKey(createPrivateKey(key.text))) {
    return `${at(keyField!)}: does not belong to ${certField} (the key and the certificate are not a pair)`;
  }
  return undefined;
}

/** The PEM text of inline (base64) data or a file, or the field's problem. */
function credential(data: string | undefined, file: string | undefined, kind: 'certificate' | 'key', field: string): { text: string } | { problem: string } {
  const read = data ? { text: decode(data) } : readPem(file!);
  if ('problem' in read) return { problem: `${field}: ${read.problem}` };
  const p = pemProblem(read.text, kind, field);
  return p ? { problem: p } : read;
}

function serverProblem(server: string): string | undefined {
  const u = parseUrl(server);
  if (!u) return 'not a URL; expected https://host:port';
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `expected an https:// URL, got the scheme '${u.protocol.slice(0, 20)}'`;
  if (u.username !== '' || u.password !== '') return 'user:password in the URL is not supported; expected the credentials under users[].user';
  if (u.hostname === '') return 'expected a host name in the URL';
  return undefined;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function decode(base64: string): string {
  return Buffer.from(base64, 'base64').toString('latin1');
}

function readPem(file: string): { text: string } | { problem: string } {
  try {
    const info = statSync(file);
    if (!info.isFile()) return { problem: `${file} is not a regular file` };
    if (info.size > MAX_PEM_FILE_BYTES) return { problem: `${file} is ${info.size} bytes; expected a PEM file of at most ${MAX_PEM_FILE_BYTES} bytes` };
    return { text: readFileSync(file, 'latin1') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? `${file} not found` : `cannot read ${file} (${code ?? 'error'})` };
  }
}

function pemProblem(text: string, kind: 'certificate' | 'key', field: string): string | undefined {
  const marker = kind === 'certificate' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  const what = kind === 'certificate' ? 'not a PEM certificate' : 'not a PEM key';
  if (!marker.test(text)) return `${field}: ${what} (expected the base64 of a PEM block that begins '${kind === 'certificate' ? 'BEGIN CERTIFICATE' : 'BEGIN PRIVATE KEY'}')`;
  try {
    if (kind === 'certificate') new X509Certificate(text);
    else createPrivateKey(text);
  } catch {
    return `${field}: ${what} (the PEM block does not decode)`;
  }
  return undefined;
}
