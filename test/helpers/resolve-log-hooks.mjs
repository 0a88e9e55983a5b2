// Module hooks (registered with module.register, `data: { log }`): appends the URL of every
// module import() resolves to the file `log`, one per line — the library tests check which
// packages an import pulls in.
import { appendFileSync } from 'node:fs';

let log;
export function initialize(data) {
  log = data.log;
}
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\n');
  return result;
}
