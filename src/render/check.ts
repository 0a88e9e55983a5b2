/**
 * The check every rendered profile passes before it is written: the full validator of
 * `validate` — well-formed XML, a flat-profile element, no leftover template syntax,
 * ASCII values, known parameters and values, model capacity. Errors block the write; warnings
 * (a secret in a profile that is not encrypted…) are reported in --json and do not.
 * This is the one place render calls the validator.
 */
import { validateProfileText, type Diagnostic } from '../validate/index.js';

export type RenderDiagnostic = Diagnostic;

export interface CheckContext {
  /** The output file name (or the device), for diagnostics. */
  file: string;
  /** Model number, for the model-capacity rule. */
  model?: string;
  /** Whether the profile is written encrypted (a secret in it is then fine). */
  encrypted?: boolean;
  /**
   * Whether the device has secrets (a secret variable, a key or an IKM): then no finding quotes
   * a value (ValidateOptions.quoteValues), since a template may have transformed a secret
   * (`| upcase`, `| slice`, `| base64_encode`) into any parameter, where masking the secret's
   * own text would not find it.
   */
  hasSecrets?: boolean;
}

/**
 * Checks a rendered profile.
 * @example checkRenderedProfile('<flat-profile/>', { file: 'x.xml' }) // []
 */
export function checkRenderedProfile(text: string, ctx: CheckContext): RenderDiagnostic[] {
  return validateProfileText(text, {
    file: ctx.file,
    ...(ctx.model !== undefined ? { model: ctx.model } : {}),
    encrypted: ctx.encrypted === true,
    ...(ctx.hasSecrets === true ? { quoteValues: false } : {}),
  });
}
