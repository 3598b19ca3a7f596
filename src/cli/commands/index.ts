/** The CLI's subcommands, by name. */
import { surveyCommand } from "./survey.js";
import type { Command } from "./types.js";

export const COMMANDS: Record<string, Command> = {
  survey: surveyCommand,
};
