// The one error type a bad input raises: cli.ts prints it as `losscurve: FILE:LINE: message` and exits 2.

export class InputError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** The single line a user sees on stderr. */
  describe(): string {
    const where = this.line ? `${this.file}:${this.line}` : this.file;
    return `${where}: ${this.message}`;
  }
}

// Said by diagnose and watch alike
export const EMPTY_INPUT = 'is empty; point losscurve at a log with a header and rows';
export const A_DIRECTORY = 'is a directory; give the log file inside it';
