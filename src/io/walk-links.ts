/**
 * What a walk of an input directory (`encrypt`/`decrypt --out-dir`, `validate`) does with a
 * symbolic link it meets, decided here once for every walk. As `grep -r`, `find` and `tar` do: a
 * link named on the command line is followed (the user chose it); one met while walking is not
 * — it is skipped and named in a warning — unless `--follow-links` is given. Followed, a link to
 * a file is an input like any other and a link to a directory is walked, except one back to a
 * directory being walked (a cycle: each walk keeps the directories above it, by device and inode
 * or real path). Why not follow by default: a directory others can write may hold `x.xml ->
 * /etc/shadow` or `sub -> /`, which a batch run as root would read, encrypt and publish.
 */
import { escapeControls } from '../output/terminal-text.js';

/** The choice for one run, and the links it skipped (as messages show them), in walk order. */
export interface WalkLinks {
  follow: boolean;
  skipped: string[];
}

/** The policy for a run: `--follow-links` or not. */
export function walkLinks(follow: boolean | undefined): WalkLinks {
  return { follow: follow === true, skipped: [] };
}

/**
 * Whether the walk follows the symbolic link at `shown` (its path as messages show it); when it
 * does not, the link is recorded in `links.skipped`.
 */
export function followsLink(links: WalkLinks, shown: string): boolean {
  if (links.follow) return true;
  links.skipped.push(shown);
  return false;
}

/** The one-line warning for a link the walk skipped. */
export function skippedLinkWarning(shown: string): string {
  return `${escapeControls(shown)}: a symbolic link in an input directory: skipped (--follow-links follows it)`;
}
