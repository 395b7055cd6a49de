// Live progress for long steps (setup, image builds, cluster creation): a spinner
// on a terminal, plain timestamped lines under CI=true or when piped.
import ora, { type Ora } from 'ora';
import pc from 'picocolors';
import type { Progress } from '../cluster/provider.ts';

export interface StepPrinter {
  step: Progress;
  line(text: string): void;
  done(text?: string): void;
}

export function stepPrinter(stream: NodeJS.WriteStream = process.stderr): StepPrinter {
  const fancy = stream.isTTY && process.env.CI !== 'true' && !process.env.NO_COLOR;
  const t0 = Date.now();
  const elapsed = () => `${Math.round((Date.now() - t0) / 1000)}s`;
  let spinner: Ora | undefined;
  return {
    step(step, detail) {
      const text = `${step}${detail ? ` ${pc.dim(detail)}` : ''}`;
      if (!fancy) {
        stream.write(`  [${elapsed()}] ${step}${detail ? ` ${detail}` : ''}\n`);
        return;
      }
      if (step === 'kind') {
        if (spinner) spinner.text = `creating cluster ${pc.dim(detail ?? '')}`;
        return;
      }
      spinner?.succeed();
      spinner = ora({ text, stream }).start();
    },
    line(text) {
      if (fancy && spinner) spinner.text = text;
      else stream.write(`${text}\n`);
    },
    done(text) {
      if (spinner) {
        spinner.succeed(text ?? spinner.text);
        spinner = undefined;
      } else if (text) stream.write(`  [${elapsed()}] ${text}\n`);
    },
  };
}
