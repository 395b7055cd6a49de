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
  if (c.caData) return pemProblem(decode(c.caData), 'certificate', at('certificate-authority-data'));
  if (c.caFile) return fileProblem(c.caFile, 'certificate', at('certificate-authority'));
  return undefined;
}

/** The first problem of the user entry, as `users[i].user.<field>: <what is wrong>`. */
export function userProblem(u: User, index: number): string | undefined {
  const at = (field: string) => `users[${index}].user.${field}`;
  const certField = u.certData ? 'client-certificate-data' : u.certFile ? 'client-certificate' : undefined;
  const keyField = u.keyData ? 'client-key-data' : u.keyFile ? 'client-key' : undefined;
  let cert: string | undefined;
  let key: string | undefined;
  if (u.certData || u.certFile) {
    const read = u.certData ? { text: decode(u.certData) } : readPem(u.certFile!);
    if ('problem' in read) return `${at(certField!)}: ${read.problem}`;
    const p = pemProblem(read.text, 'certificate', at(certField!));
    if (p) return p;
    cert = read.text;
  }
  if (u.keyData || u.keyFile) {
    const read = u.keyData ? { text: decode(u.keyData) } : readPem(u.keyFile!);
    if ('problem' in read) return `${at(keyField!)}: ${read.problem}`;
    const p = pemProblem(read.text, 'key', at(keyField!));
    if (p) return p;
    key = read.text;
  }
  if (cert && !key) return `${at(certField!)}: given without client-key-data or client-key; expected both`;
  if (key && !cert) return `${at(keyField!)}: given without client-certificate-data or client-certificate; expected both`;
  if (cert && key && !new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))) {
    return `${at(keyField!)}: does not belong to ${certField} (the key and the certificate are not a pair)`;
  }
  return undefined;
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

function fileProblem(file: string, kind: 'certificate' | 'key', field: string): string | undefined {
  const read = readPem(file);
  if ('problem' in read) return `${field}: ${read.problem}`;
  return pemProblem(read.text, kind, field);
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
