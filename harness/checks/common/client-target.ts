// Blame the right side: probes run from clients on several nodes, so a fault on
// a client's own node (no kube-proxy there, traffic dropped there) is told apart
// from a fault on a target. Input: one cell per (client node, target); output:
// sentences naming the side at fault. Pure.

export interface Cell {
  client: string;
  target: string;
  ok: boolean;
  problem?: string;
}

export interface Attribution {
  /** Client nodes from which nothing answered while another client got answers from the same targets. */
  badClients: string[];
  /** Targets that failed from every client that otherwise works. */
  badTargets: string[];
  /** Single cells that failed although their client and target work elsewhere. */
  badCells: Cell[];
  /** One sentence per finding, client side first. */
  sentences: string[];
}

export interface AttributionWords {
  /** "node kc-worker" or "endpoint web-1". */
  target(t: string): string;
  /** Why a client node's failure is likely (e.g. "its kube-proxy pod is CrashLoopBackOff"). */
  clientCause?(client: string): string | undefined;
  /** What answering means, e.g. "answers at NodePort 31000". */
  answers: string;
}

export function attribute(cells: Cell[], words: AttributionWords): Attribution {
  const clients = [...new Set(cells.map((c) => c.client))];
  const targets = [...new Set(cells.map((c) => c.target))];
  const cell = (c: string, t: string) => cells.find((x) => x.client === c && x.target === t);
  const allFail = (c: string) => cells.filter((x) => x.client === c).every((x) => !x.ok);
  const anyOk = (c: string) => cells.some((x) => x.client === c && x.ok);

  // A client is at fault when nothing answers it but another client reaches those targets.
  const badClients = clients.filter((c) => allFail(c) && clients.some((o) => o !== c && anyOk(o)));
  const good = clients.filter((c) => !badClients.includes(c));
  const badTargets = good.length ? targets.filter((t) => good.every((c) => cell(c, t)?.ok === false)) : [];
  const badCells = cells.filter((x) => !x.ok && good.includes(x.client) && !badTargets.includes(x.target));

  const sentences: string[] = [];
  const firstProblem = (list: Cell[]) => list.find((x) => x.problem)?.problem;
  if (cells.length > 0 && cells.every((x) => !x.ok)) {
    sentences.push(`nothing ${words.answers} from any client (${clients.map((c) => `node ${c}`).join(', ')}): ${firstProblem(cells) ?? 'no answer'}; the fault is not on one client's node`);
    return { badClients, badTargets, badCells: [], sentences };
  }
  for (const c of badClients) {
    const others = good.filter((o) => targets.every((t) => cell(o, t)?.ok !== false));
    const fromOthers = others.length
      ? `from ${others.map((o) => `node ${o}`).join(', ')} all ${targets.length} answer`
      : `from ${good.map((o) => `node ${o}`).join(', ')} some answer`;
    const cause = words.clientCause?.(c);
    sentences.push(
      `from node ${c} nothing ${words.answers} (${firstProblem(cells.filter((x) => x.client === c)) ?? 'no answer'}); ${fromOthers}: the fault is on node ${c}${cause ? `: ${cause}` : " (its kube-proxy rules are missing or traffic is dropped there)"}`,
    );
  }
  for (const t of badTargets) {
    const failing = cells.filter((x) => x.target === t && good.includes(x.client));
    sentences.push(`${words.target(t)} does not ${words.answers.replace(/^answers/, 'answer')} from any working client (${good.map((c) => `node ${c}`).join(', ')}): ${firstProblem(failing) ?? 'no answer'}`);
  }
  for (const x of badCells) sentences.push(`from node ${x.client}, ${words.target(x.target)} does not ${words.answers.replace(/^answers/, 'answer')}: ${x.problem ?? 'no answer'}`);
  return { badClients, badTargets, badCells, sentences };
}

/** "clients on kc-worker, kc-worker2 (pods x, y)": the placement, stated. */
export function placementWords(clients: { node: string; pod: string }[]): string {
  return `clients on ${clients.map((c) => c.node).join(', ')} (pods ${clients.map((c) => c.pod).join(', ')})`;
}

/** Up to `max` distinct nodes to place clients on, in name order. */
export function clientNodes(nodes: string[], max = 3): string[] {
  return [...new Set(nodes)].sort().slice(0, max);
}
