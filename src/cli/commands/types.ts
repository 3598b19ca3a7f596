/** A CLI subcommand: a one-line summary, its usage text, and the function that runs it. */
export interface Command {
  summary: string;
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}
