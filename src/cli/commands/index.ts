/** The CLI's subcommands, by name. */
import { clvCommand } from "./clv.js";
import { driversCommand } from "./drivers.js";
import { reportCommand } from "./report.js";
import { retentionCommand } from "./retention.js";
import { serviceCommand } from "./service.js";
import { surveyCommand } from "./survey.js";
import type { Command } from "./types.js";

export const COMMANDS: Record<string, Command> = {
  report: reportCommand,
  survey: surveyCommand,
  retention: retentionCommand,
  clv: clvCommand,
  drivers: driversCommand,
  service: serviceCommand,
};
