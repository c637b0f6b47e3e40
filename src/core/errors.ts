/** An invalid run configuration; `field` names the offending argument (e.g. 'n', 'stepSize', 'params.bandwidth'). */
export class ConfigError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
