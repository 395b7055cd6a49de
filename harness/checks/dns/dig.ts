// Reads what `dig +noall +comments +question +answer +stats` printed: the
// response status (NOERROR, NXDOMAIN...), the question actually asked (after
// search-list expansion), the answer records, the server that answered, or -
// when no server answered at all - why. Pure; tested on outputs recorded from
// dig 9.18 against CoreDNS (testdata/) and on dig 9.16's wording of a timeout.

export interface DigRecord {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

export interface DigResult {
  /** Response code from the header; absent when no response arrived. */
  status?: string;
  /** The name in the question section, e.g. "web.ns.svc.cluster.local.". */
  question?: string;
  answers: DigRecord[];
  /** Address of the server that answered (";; SERVER: 10.96.0.10#53(...)"). */
  server?: string;
  queryTimeMs?: number;
  /** Set when no server answered: "timed out", "connection refused"... */
  noAnswer?: string;
  /** The server dig tried, when it said so in an error line. */
  triedServer?: string;
}

/** The dig command line for one query (argv, no shell). */
export function digCommand(name: string, type: 'A' | 'AAAA' | 'SRV', opts: { search: boolean; timeSec: number; tries: number }): string[] {
  return [
    'dig',
    '+noall',
    '+comments',
    '+question',
    '+answer',
    '+stats',
    `+time=${Math.max(1, Math.round(opts.timeSec))}`,
    `+tries=${Math.max(1, opts.tries)}`,
    opts.search ? '+search' : '+nosearch',
    name,
    type,
  ];
}

export function parseDig(text: string, exitCode: number): DigResult {
  const result: DigResult = { answers: [] };
  let section: 'question' | 'answer' | 'other' = 'other';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const header = /->>HEADER<<-.*\bstatus: ([A-Z]+)/.exec(line);
    if (header) {
      // With +search dig may print several responses; the last one is the result.
      result.status = header[1]!;
      result.answers = [];
      delete result.question;
      continue;
    }
    if (line.startsWith(';; QUESTION SECTION:')) {
      section = 'question';
      continue;
    }
    if (line.startsWith(';; ANSWER SECTION:')) {
      section = 'answer';
      continue;
    }
    if (/^;; [A-Z ]+SECTION:/.test(line)) {
      section = 'other';
      continue;
    }
    const server = /^;; SERVER: ([0-9a-fA-F.:]+)#\d+/.exec(line);
    if (server) {
      result.server = server[1]!;
      continue;
    }
    const qtime = /^;; Query time: (\d+) msec/.exec(line);
    if (qtime) {
      result.queryTimeMs = Number(qtime[1]);
      continue;
    }
    const comm = /^;; communications error to ([0-9a-fA-F.:]+)#\d+: (.+)$/.exec(line);
    if (comm) {
      result.triedServer = comm[1]!;
      result.noAnswer = comm[2]!.trim();
      continue;
    }
    if (/connection timed out; no servers could be reached/.test(line)) {
      result.noAnswer = result.noAnswer ?? 'timed out';
      continue;
    }
    if (/no servers could be reached/.test(line)) {
      result.noAnswer = result.noAnswer ?? 'no servers could be reached';
      continue;
    }
    const refused = /^;; (connection refused|.*network unreachable|.*host unreachable)/i.exec(line);
    if (refused) {
      result.noAnswer = refused[1]!.trim();
      continue;
    }
    if (line === '') {
      if (section === 'question') section = 'other';
      continue;
    }
    if (section === 'question') {
      const q = /^;(\S+)\s+IN\s+\S+/.exec(line);
      if (q) result.question = q[1]!;
      continue;
    }
    if (line.startsWith(';')) continue;
    if (section === 'answer') {
      const rr = /^(\S+)\s+(\d+)\s+IN\s+([A-Z0-9]+)\s+(.+)$/.exec(line);
      if (rr) result.answers.push({ name: rr[1]!, ttl: Number(rr[2]), type: rr[3]!, data: rr[4]!.trim() });
    }
  }
  if (result.status !== undefined) {
    // A response arrived: earlier failed tries do not matter.
    delete result.noAnswer;
  } else if (!result.noAnswer) {
    result.noAnswer = exitCode === 9 ? 'no reply from server' : exitCode === 127 ? 'dig is not installed in the probe image' : `dig exit ${exitCode}${text.trim() ? `: ${text.trim().split('\n')[0]}` : ''}`;
  }
  return result;
}

/** Addresses in the answer (A/AAAA), sorted. */
export function addressesOf(r: DigResult): string[] {
  return r.answers
    .filter((a) => a.type === 'A' || a.type === 'AAAA')
    .map((a) => a.data)
    .sort();
}

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export function srvOf(r: DigResult): SrvRecord[] {
  return r.answers
    .filter((a) => a.type === 'SRV')
    .map((a) => {
      const [priority, weight, port, target] = a.data.split(/\s+/);
      return { priority: Number(priority), weight: Number(weight), port: Number(port), target: target ?? '' };
    });
}
