// Two examples at the end of every command's --help: the commonest use and the
// next thing a user asks for. Kept in one table so every command has them.
import type { Command } from 'commander';

export const EXAMPLES: Record<string, [string, string][]> = {
  run: [
    ['kconform run suites/ --kubeconfig ~/.kube/config -l "area=network,!slow"', 'fast network checks on your cluster'],
    ['kconform run --shard 2/3 -o reports/shard-2', 'this CI machine\'s third of the checks (then: kconform merge reports/shard-*)'],
  ],
  validate: [
    ['kconform validate suites/', 'check every suite file, with file:line:col for each problem'],
    ['kconform validate suites/assignments/lab1', 'check one assignment (assignments are not picked up from suites/)'],
  ],
  schema: [
    ['kconform schema > suites/kconform-suite.schema.json', 'the JSON Schema editors use'],
    ['kconform schema --out schema.json', 'the same, written to a file'],
  ],
  clean: [
    ['kconform clean --dry-run', 'list what kconform left in the cluster'],
    ['kconform clean --run 20261202-abc123', 'remove what one run left (namespaces, node marks)'],
  ],
  conformance: [
    ['kconform conformance', 'cluster up, every suite, reports in reports/, cluster down'],
    ['kconform conformance --cni calico --cri docker --list', 'the plan of one CNI x CRI cell, without creating anything'],
  ],
  setup: [
    ['kconform setup', 'prepare this machine\'s Docker for kind'],
    ['sudo npx kconform setup', 'the same where Docker needs root'],
  ],
  images: [
    ['kconform images status', 'which testbed images are cached, loaded or missing'],
    ['kconform images build', 'build the missing ones from Go modules and Debian packages'],
  ],
  'images build': [
    ['kconform images build', 'build every missing image of the default set'],
    ['kconform images build --help', 'the options of the offline builder'],
  ],
  'images status': [
    ['kconform images status', 'per image: cached, loaded or missing'],
    ['kconform images status --help', 'options'],
  ],
  'images list': [
    ['kconform images list --for suites/', 'every image a run of these suites needs'],
    ['kconform images list --for suites/ --cni calico', 'the same for a calico cluster'],
  ],
  'images bundle': [
    ['kconform images bundle --cni calico -o kconform-images.tar', 'on a machine with a registry: everything a calico cell needs'],
    ['kconform images bundle --cni weave --cri docker -o weave.tar', 'the weave x docker cell'],
  ],
  'images import': [
    ['kconform images import kconform-images.tar', 'load a bundle on the air-gapped machine'],
    ['kconform images list --for suites/', 'then check nothing is missing'],
  ],
  cluster: [
    ['kconform cluster up --nodes 3', 'a 3-node kind cluster named kconform'],
    ['kconform cluster down --name kconform', 'delete it'],
  ],
  'cluster up': [
    ['kconform cluster up --nodes 3 --cni flannel', 'create a 3-node cluster'],
    ['kconform cluster up --name lab --cri docker', 'another cluster on the docker runtime'],
  ],
  'cluster down': [
    ['kconform cluster down', 'delete the cluster named kconform'],
    ['kconform cluster down --name lab', 'delete another'],
  ],
  'cluster status': [
    ['kconform cluster status', 'nodes and readiness of the kconform cluster'],
    ['kconform cluster status --name lab', 'of another'],
  ],
  'cluster kubeconfig': [
    ['kconform run suites/ --kubeconfig "$(kconform cluster kubeconfig)"', 'run on the kind cluster (destructive checks need --allow-disruptive)'],
    ['export KUBECONFIG="$(kconform cluster kubeconfig --name lab)"', 'kubectl on another cluster'],
  ],
  grade: [
    ['kconform grade --kubeconfigs students/ --suite suites/assignments/lab1 --no-retries --max-wait 5s', 'a class, score sheet in reports/grades/'],
    ['kconform grade --kubeconfigs students/ --suite suites/assignments/lab1 --shard 1/2 -o grades-1', 'half of the class on this machine (then: kconform merge grades-1 grades-2 -o grades)'],
  ],
  rbac: [
    ['kconform rbac suites/assignments/lab1 | kubectl apply -f -', 'the student applies the grader\'s ServiceAccount and its minimal roles'],
    ['kconform rbac kubeconfig --file grader.kubeconfig', 'then writes the kubeconfig to hand in (token valid 24h)'],
  ],
  'rbac kubeconfig': [
    ['kconform rbac kubeconfig --file grader.kubeconfig', 'a 24h token of kconform/grader with your cluster\'s server and CA'],
    ['kubectl create token grader -n kconform | kconform rbac kubeconfig --from-token - --server https://203.0.113.7:6443', 'from a token you made, at the address the grader reaches'],
  ],
  matrix: [
    ['kconform matrix --cni flannel --cri containerd,docker', 'two cells here, one after the other'],
    ['kconform matrix --list', 'the plan of every cell, without creating anything'],
  ],
  'matrix merge': [
    ['kconform matrix merge artifacts/', 'one table from the cells CI ran'],
    ['kconform matrix merge artifacts/ --step-summary', 'and append it to the GitHub job summary'],
  ],
  'matrix images': [
    ['kconform matrix images', 'the images every cell needs, present or missing'],
    ['kconform matrix images --cni calico', 'for calico only'],
  ],
  merge: [
    ['kconform merge reports/shard-1 reports/shard-2 reports/shard-3 -o reports', 'three run --shard outputs into one JUnit, results.json and HTML'],
    ['kconform merge artifacts/ -o reports/grades', 'the score sheets of grade --shard jobs (one folder per shard under artifacts/)'],
  ],
  completion: [
    ['source <(kconform completion bash)', 'complete commands and flags in this bash'],
    ['kconform completion fish > ~/.config/fish/completions/kconform.fish', 'for good, in fish'],
  ],
};

/** Adds the examples to every command that has them (after registration). */
export function addExamples(program: Command): void {
  const walk = (c: Command, p: string[]) => {
    for (const s of c.commands) {
      const key = [...p, s.name()].join(' ');
      const ex = EXAMPLES[key];
      if (ex) s.addHelpText('after', `\nExamples:\n${ex.map(([cmd, what]) => `  $ ${cmd}\n      ${what}`).join('\n')}\n`);
      walk(s, [...p, s.name()]);
    }
  };
  walk(program, []);
}
