// Throwaway PKI for the API-only tier: a CA, the apiserver's serving certificate
// (loopback and in-cluster names), a service-account signing key, and static
// bearer tokens (an admin in system:masters and a user with no permissions).
// Made fresh for every run; nothing is kept.
import { randomBytes, webcrypto } from 'node:crypto';
// @peculiar/x509 resolves its algorithms through tsyringe, which needs this polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export interface ApiServerPki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  adminToken: string;
  studentToken: string;
  /** The --token-auth-file contents. */
  tokensCsv: string;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const subtle = webcrypto.subtle;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

async function keyPair(): Promise<webcrypto.CryptoKeyPair> {
  return (await subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

const token = () => randomBytes(24).toString('hex');

export async function makeApiServerPki(opts: { serverNames?: string[]; serverIps?: string[] } = {}): Promise<ApiServerPki> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 24 * 3600_000);

  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=kconform-api-test-ca',
    keys: caKeys,
    notBefore,
    notAfter,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const names = opts.serverNames ?? ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  const ips = opts.serverIps ?? ['127.0.0.1', '10.0.0.1'];
  const serverKeys = await keyPair();
  const server = await x509.X509CertificateGenerator.create({
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([...names.map((value) => ({ type: 'dns' as const, value })), ...ips.map((value) => ({ type: 'ip' as const, value }))]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const saKeys = await keyPair();
  const adminToken = token();
  const studentToken = token();
  return {
    caCert: ca.toString('pem') + '\n',
    serverCert: server.toString('pem') + '\n',
    serverKey: pem('PRIVATE KEY', await subtle.exportKey('pkcs8', serverKeys.privateKey)),
    serviceAccountKey: pem('PRIVATE KEY', await subtle.exportKey('pkcs8', saKeys.privateKey)),
    serviceAccountPub: pem('PUBLIC KEY', await subtle.exportKey('spki', saKeys.publicKey)),
    adminToken,
    studentToken,
    tokensCsv: `${adminToken},kconform-admin,kconform-admin,"system:masters"\n${studentToken},student,student\n`,
  };
}
