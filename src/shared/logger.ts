import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'development-hub' },
    // Message text and card payloads can carry what staff typed about pupils: never log them wholesale.
    redact: { paths: ['*.text', '*.value', 'activity.text', 'activity.value', 'req.headers.authorization'], censor: '[redacted]' },
  });
}

/** A logger that drops everything, for tests that do not inspect logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
