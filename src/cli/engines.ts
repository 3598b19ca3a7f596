/** Shared by the commands that read through a database (`survey --engine`, `report --engine`). */
import { InvalidInputError } from "../core/errors.js";
import { CliError } from "./io.js";

/** Import an optional peer dependency, or explain how to install it (exit code 1). */
export async function optionalPackage<T>(name: string, command: string, engine: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND")
      throw new CliError(
        `${command}: --engine ${engine} needs the optional package ${name}; install it with: npm install ${name}`,
        1,
      );
    throw e;
  }
}

/** An error the database reports about the input (a missing file, a bad value) is an input error (exit 2). */
export function engineError(where: string, e: unknown): unknown {
  if (e instanceof CliError || e instanceof InvalidInputError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new CliError(`${where}: ${message.split("\n")[0]}`);
}
