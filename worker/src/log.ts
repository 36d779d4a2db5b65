import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Field names whose values never reach a log line, wherever they appear. */
const secretPaths = [
  'privateKey',
  'password',
  'keystorePassword',
  '*.privateKey',
  '*.password',
  '*.keystorePassword',
  'config.privateKey',
  'config.password',
];

/**
 * Structured JSON logs (one object per line on stdout, pino's format) with secrets redacted.
 * Every line carries the worker's address once it is known (`log.child({ address })`).
 */
export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name ?? 'um-worker',
      level: options.level ?? 'info',
      redact: { paths: secretPaths, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}
