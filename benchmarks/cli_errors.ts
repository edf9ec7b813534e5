/** How the bench and validate CLIs report a failed run. */
import { ParameterError } from "../engine/mod.ts";
import { UsageError } from "./cli_args.ts";
import { HistoryError } from "./results_store.ts";

/**
 * Prints `error` and returns the exit code: 2 for bad input — a bad parameter or flag (the
 * message names it and its range) or an unusable history file (the message names the file) —
 * and 1 for anything else (with the stack, since that is a bug or a device failure).
 */
export function reportRunError(error: unknown): number {
  if (
    error instanceof ParameterError || error instanceof UsageError ||
    error instanceof HistoryError
  ) {
    console.error(`error: ${error.message}`);
    return 2;
  }
  console.error(`error: ${(error as Error).stack ?? error}`);
  return 1;
}
