import cliProgress from 'cli-progress';

/** A progress bar on stderr when it is a TTY; silent otherwise (logs carry the progress). */
export interface Progress {
  tick(detail?: string): void;
  stop(): void;
}

export function progressBar(
  label: string,
  total: number,
  enabled = Boolean(process.stderr.isTTY),
): Progress {
  if (!enabled) return { tick() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} steps | {detail} | eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { detail: '' });
  return {
    tick(detail = '') {
      bar.increment(1, { detail });
    },
    stop() {
      bar.stop();
    },
  };
}
