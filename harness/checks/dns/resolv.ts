// Reads a pod's /etc/resolv.conf and says what is wrong with it for a pod of
// namespace `ns` with dnsPolicy ClusterFirst: the cluster DNS Service as
// nameserver, the namespace's search path first, ndots:5. Pure.

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: Map<string, string | true>;
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], options: new Map() };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) conf.nameservers.push(rest[0]);
    // The last search/domain line wins, as in the resolver.
    else if (key === 'search' || key === 'domain') conf.search = rest;
    else if (key === 'options') {
      for (const opt of rest) {
        const i = opt.indexOf(':');
        if (i > 0) conf.options.set(opt.slice(0, i), opt.slice(i + 1));
        else conf.options.set(opt, true);
      }
    }
  }
  return conf;
}

/** The search path a pod of `ns` must start with. */
export function expectedSearch(ns: string, domain: string): string[] {
  return [`${ns}.svc.${domain}`, `svc.${domain}`, domain];
}

export function resolvProblems(conf: ResolvConf, want: { nameserver?: string; namespace: string; domain: string; ndots: number }): string[] {
  const problems: string[] = [];
  if (conf.nameservers.length === 0) problems.push('resolv.conf has no nameserver');
  else if (want.nameserver && conf.nameservers[0] !== want.nameserver) {
    problems.push(`resolv.conf nameserver is ${conf.nameservers.join(', ')}, expected the cluster DNS Service ${want.nameserver}`);
  }
  const search = expectedSearch(want.namespace, want.domain);
  if (search.some((d, i) => conf.search[i] !== d)) {
    problems.push(`resolv.conf search is "${conf.search.join(' ')}", expected it to start with "${search.join(' ')}"`);
  }
  const ndots = conf.options.get('ndots');
  if (ndots !== String(want.ndots)) problems.push(`resolv.conf has ${ndots === undefined ? 'no ndots option' : `ndots:${ndots}`}, expected ndots:${want.ndots}`);
  return problems;
}
