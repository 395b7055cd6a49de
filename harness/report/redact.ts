// The one redaction pass every reporter applies before anything leaves the process:
// credentials must never reach a report, a log line or a terminal. It errs on the
// side of hiding too much: a lost token is worse than a lost word of evidence.
// Values stop at an escape character, so a coloured line keeps its colour codes.

export const REDACTED = '[redacted]';

// PEM blocks: private keys and certificates, whole. An unterminated block (a log cut
// short) is hidden to the end of the text.
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]*(?:PRIVATE KEY|CERTIFICATE)[A-Z0-9 ]*-----[\s\S]*?(?:-----END [A-Z0-9 ]*-----|$)/g;

// JSON Web Tokens (service-account tokens, OIDC id-tokens): header.payload[.signature].
const JWT = /\beyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g;

// "Authorization: Bearer xyz", "Bearer xyz" anywhere; the scheme word stays for context.
// eslint-disable-next-line no-control-regex -- a value ends at an escape (see above)
const BEARER = /\b(Bearer)(\s+)(?!\[redacted\])[^\s"',;\u001b]+/gi;
// eslint-disable-next-line no-control-regex -- a value ends at an escape (see above)
const BASIC_AUTH_HEADER = /\b(Authorization["']?\s*[:=]\s*["']?Basic)(\s+)(?!\[redacted\])[^\s"',;\u001b]+/gi;

// userinfo in URLs: https://user:secret@host -> https://[redacted]@host
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)(?!\[redacted\]@)[^\s/@"'<>]+@/gi;

// key: value / key=value / "key": "value" for keys that name a credential. The key may
// carry a prefix (id-token, refresh_token, client-secret, PGPASSWORD). Only spaces and
// tabs may follow the separator, so a YAML key with a nested block ("secret:\n  name")
// is left alone.
const SECRET_KEY =
  '[A-Za-z0-9_-]*?(?:token|password|passwd|pwd|secret|api[-_]?key|client-key-data|client-certificate-data|certificate-authority-data|private[-_]?key)';
const KEY_VALUE = new RegExp(
  String.raw`(?<![A-Za-z0-9])(${SECRET_KEY}(?:\\?["'])?[ \t]*[:=][ \t]*)` +
    // value: "double", 'single', \"escaped inside JSON text\", or a bare word
    String.raw`(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|\\"((?:[^"\\\n]|\\[^"\n])*)\\"|(?!\[redacted\])([^\s"',;}<>\]\\\u001b]+))`,
  'gi',
);

function hideKeyValue(_m: string, head: string, dq?: string, sq?: string, esc?: string): string {
  if (dq !== undefined) return `${head}"${REDACTED}"`;
  if (sq !== undefined) return `${head}'${REDACTED}'`;
  if (esc !== undefined) return `${head}\\"${REDACTED}\\"`;
  return head + REDACTED;
}

/** Hide every credential-looking part of a string. Idempotent. */
export function redactText(text: string): string {
  if (text.length === 0) return text;
  return redactSecretValues(text).replace(KEY_VALUE, hideKeyValue);
}

/**
 * Hide only what is a credential by its shape (PEM blocks, JWTs, Authorization
 * values, user:password in URLs), never by the word before it: for kconform's own
 * messages, whose positions (`file:1:1`) and words (`unknown key 'token'`) must
 * survive. Secrets are kept out of those messages where they enter (kubeconfig,
 * environment, fixture contents); this is the safety net.
 */
export function redactSecretValues(text: string): string {
  if (text.length === 0) return text;
  return text
    .replace(PEM_BLOCK, REDACTED)
    .replace(JWT, REDACTED)
    .replace(BASIC_AUTH_HEADER, `$1$2${REDACTED}`)
    .replace(BEARER, `$1$2${REDACTED}`)
    .replace(URL_USERINFO, `$1${REDACTED}@`);
}

// Object keys whose string value is a credential whatever it looks like.
const SECRET_FIELD = new RegExp(`^${SECRET_KEY}$`, 'i');
const SECRET_FIELD_CAMEL = /^(?:[a-z]+)?(?:Token|Password|Secret|ApiKey|KeyData|CertificateData|PrivateKey)$/;

function isSecretField(key: string): boolean {
  return SECRET_FIELD.test(key) || SECRET_FIELD_CAMEL.test(key);
}

/**
 * A deep copy of `value` with every string redacted, every value under a credential
 * key replaced, and the data of Kubernetes Secret objects hidden. Keys are kept.
 */
export function redactDeep<T>(value: T): T {
  return walk(value, new WeakMap()) as T;
}

function walk(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(walk(item, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  const isSecretObject = (value as { kind?: unknown }).kind === 'Secret';
  for (const [key, v] of Object.entries(value)) {
    if ((isSecretField(key) && typeof v === 'string' && v !== '') ||
        (isSecretObject && (key === 'data' || key === 'stringData') && v !== null && typeof v === 'object')) {
      out[key] = hideValues(v);
    } else {
      out[key] = walk(v, seen);
    }
  }
  return out;
}

function hideValues(v: unknown): unknown {
  if (typeof v === 'string') return REDACTED;
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]));
  }
  return v;
}
