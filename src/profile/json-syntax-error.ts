/**
 * JSON.parse's syntax errors as this project words input errors: where (line and column, from
 * the offset V8 gives) and what, without the input V8 quotes around the mistake (that text may be
 * a password), e.g. `line 4, col 1: not valid JSON (expected ',' or '}' after property value)`.
 */

/** Line and column (1-based, columns in UTF-16 code units) of an offset into a text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Where and what of a JSON.parse error over `text` (the text that was parsed): V8 ends its
 * message with `at position N` (Node 20) or `at position N (line L column C)` (Node 22), and
 * quotes the input around the mistake (`Unexpected token 'S', "Secret" is not valid JSON`).
 * @example describeJsonSyntaxError(`Expected ',' or '}' after property value in JSON at position 8`, '{"a": 1\n"b"}')
 * // "line 2, col 1: not valid JSON (expected ',' or '}' after property value)"
 */
export function describeJsonSyntaxError(message: string, text: string): string {
  const position = / at position (\d+)/.exec(message);
  const what =
    message
      .replace(/^Unexpected token .* is not valid JSON$/s, 'unexpected character')
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/"[^"]{2,}"/g, '"…"')
      .split('\n')[0] ?? 'unexpected input';
  const reason = what.charAt(0).toLowerCase() + what.slice(1);
  let where = '';
  if (position) {
    const { line, column } = lineAndColumn(text, Number(position[1]));
    where = `line ${line}, col ${column}: `;
  } else if (/end of JSON input/.test(message)) {
    const { line, column } = lineAndColumn(text, text.length);
    where = `line ${line}, col ${column}: `;
  }
  return `${where}not valid JSON (${reason})`;
}
