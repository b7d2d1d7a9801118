/** A setting the service cannot start with; its message is one line naming the setting. */
export class ConfigError extends Error {
  constructor(service: string, readonly setting: string, problem: string) {
    super(`${service}-service: invalid configuration: ${setting} ${problem}`);
  }
}

/** Hides the password of a URL, for logs and error messages. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
