/**
 * The few ANSI styles the formatters use, as chalk 5 writes them at its level 1 (16 colours):
 * the same bytes (test/unit/ansi.test.ts holds them to chalk's), without chalk's colour
 * detection, which reads the environment and probes stdout/stderr the moment it is imported. The
 * formatters are part of the library (`formatStylish`), and the library reads no environment:
 * whether to colour is the caller's decision (the CLI's writer makes it).
 */

/** A style: the text wrapped in its codes, or the text as it is when colour is off. */
export type Paint = (text: string) => string;

export interface Styles {
  bold: Paint;
  dim: Paint;
  underline: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  /** chalk's `red.bold`. */
  redBold: Paint;
  /** chalk's `yellow.bold`. */
  yellowBold: Paint;
}

type Code = readonly [open: string, close: string];

const BOLD: Code = ['\u001b[1m', '\u001b[22m'];
const DIM: Code = ['\u001b[2m', '\u001b[22m'];
const UNDERLINE: Code = ['\u001b[4m', '\u001b[24m'];
const RED: Code = ['\u001b[31m', '\u001b[39m'];
const GREEN: Code = ['\u001b[32m', '\u001b[39m'];
const YELLOW: Code = ['\u001b[33m', '\u001b[39m'];

/**
 * A style of one or more codes, outermost first, applied as chalk applies them: a close code of
 * one of them already in the text re-opens it after itself (nested styles), and the styles are
 * closed before each line break and opened again after it.
 */
function paint(...codes: Code[]): Paint {
  const openAll = codes.map(([open]) => open).join('');
  const closeAll = codes
    .map(([, close]) => close)
    .reverse()
    .join('');
  return (text) => {
    if (text === '') return text;
    let out = text;
    if (out.includes('\u001b')) {
      for (const [open, close] of [...codes].reverse()) out = out.split(close).join(close + open);
    }
    out = out.replace(/\r?\n/g, (lineEnd) => closeAll + lineEnd + openAll);
    return openAll + out + closeAll;
  };
}

const plain: Paint = (text) => text;

const COLOURED: Styles = {
  bold: paint(BOLD),
  dim: paint(DIM),
  underline: paint(UNDERLINE),
  red: paint(RED),
  green: paint(GREEN),
  yellow: paint(YELLOW),
  redBold: paint(RED, BOLD),
  yellowBold: paint(YELLOW, BOLD),
};

const PLAIN: Styles = {
  bold: plain,
  dim: plain,
  underline: plain,
  red: plain,
  green: plain,
  yellow: plain,
  redBold: plain,
  yellowBold: plain,
};

/** The styles, in colour or not. */
export function styles(color: boolean | undefined): Styles {
  return color === true ? COLOURED : PLAIN;
}
