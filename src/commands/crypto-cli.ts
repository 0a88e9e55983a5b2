/** CLI adapters for encrypt / decrypt / keygen. (Being written.) */
import { CliError, ExitCode, type ExitCodeValue } from '../errors.js';

export async function runEncryptCli(
  _input: string | undefined,
  _opts: unknown,
): Promise<ExitCodeValue> {
  throw new CliError(ExitCode.Failure, 'encrypt is not built yet');
}
export async function runDecryptCli(
  _input: string | undefined,
  _opts: unknown,
): Promise<ExitCodeValue> {
  throw new CliError(ExitCode.Failure, 'decrypt is not built yet');
}
export async function runKeygenCli(_opts: unknown): Promise<ExitCodeValue> {
  throw new CliError(ExitCode.Failure, 'keygen is not built yet');
}
