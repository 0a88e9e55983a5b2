/**
 * The check every rendered profile passes before it is written (issue 3): well-formed XML, a
 * `flat-profile` element, no leftover template syntax, ASCII values. This is the one place the
 * full validator (`validate`, issue 4) plugs in: switch `checkRenderedProfile` over to it.
 */
import { XMLValidator } from 'fast-xml-parser';

/** Same shape as the validator's diagnostics (style.md habit 3). */
export interface RenderDiagnostic {
  ruleId: string;
  severity: 'error' | 'warning';
  message: string;
  file: string;
  line: number;
  column: number;
}

export interface CheckContext {
  /** The output file name (or the device), for diagnostics. */
  file: string;
  /** Model number, for model-aware rules once the full validator is used. */
  model?: string;
}

/** Line and column (1-based) of an offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Checks a rendered profile. Errors block the write; warnings do not.
 * @example checkRenderedProfile('<flat-profile/>', { file: 'x.xml' }) // []
 */
export function checkRenderedProfile(text: string, ctx: CheckContext): RenderDiagnostic[] {
  const out: RenderDiagnostic[] = [];
  const at = (ruleId: string, offset: number, message: string): void => {
    out.push({ ruleId, severity: 'error', message, file: ctx.file, ...positionOf(text, offset) });
  };

  for (const token of ['{{', '{%', '%}', '}}']) {
    const i = text.indexOf(token);
    if (i !== -1) {
      at('leftover-template-syntax', i, `leftover template syntax "${token}"`);
      break;
    }
  }

  const result = XMLValidator.validate(text);
  if (result !== true) {
    out.push({
      ruleId: 'xml-well-formed',
      severity: 'error',
      message: `not well-formed XML: ${result.err.msg}`,
      file: ctx.file,
      line: result.err.line,
      column: result.err.col,
    });
    return out;
  }
  if (!/<flat-profile[\s>/]/.test(text)) {
    at('flat-profile-missing', 0, 'no <flat-profile> element');
  }

  // Values must be ASCII after entity decoding (reference §1); comments may hold anything.
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      i = end === -1 ? text.length : end + 3;
      continue;
    }
    const code = text.charCodeAt(i);
    if (code > 0x7e || (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d)) {
      at(
        'non-ascii-value',
        i,
        code > 0x7e
          ? `non-ASCII character U+${code.toString(16).toUpperCase().padStart(4, '0')} (the phone firmware only supports ASCII)`
          : `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
      );
      break;
    }
    if (code === 0x26 /* & */) {
      const m = /^&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/.exec(text.slice(i, i + 12));
      const ref = m?.[1];
      if (ref === undefined) {
        at('xml-entity', i, 'a bare "&" (write &amp;)');
        break;
      }
      if (ref.startsWith('#')) {
        const n = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (n > 0x7e || (n < 0x20 && n !== 0x09 && n !== 0x0a && n !== 0x0d)) {
          at('non-ascii-value', i, `character reference &${ref}; is not printable ASCII`);
          break;
        }
      } else if (!XML_ENTITIES.has(ref)) {
        at('xml-entity', i, `undefined entity &${ref};`);
        break;
      }
    }
    i++;
  }
  return out;
}
