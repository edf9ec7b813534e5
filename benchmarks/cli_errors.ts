/** How the bench and validate CLIs report a failed run. */
import { ParameterError } from "../engine/mod.ts";

/**
 * Prints `error` and returns the exit code: 2 for a bad parameter (the message names it and
 * its range), 1 for anything else (with the stack, since that is a bug or a device failure).
 */
export function reportRunError(error: unknown): number {
  if (error instanceof ParameterError) {
    console.error(`error: ${error.message}`);
    return 2;
  }
  console.error(`error: ${(error as Error).stack ?? error}`);
  return 1;
}
