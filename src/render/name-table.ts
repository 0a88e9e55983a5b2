/**
 * A map of strings to strings kept off V8's heap: the names a render run must remember for
 * each device — the output names already taken (two devices given the same `--name`) and the
 * names listed in an output directory — held as Latin-1 bytes in one growing buffer (a name with other characters: in a plain Map) with a hash
 * index in typed arrays, not as a Map of string objects.
 *
 * Why (issue 12): V8 lets its old generation grow to about four times what was live after the
 * last full collection before it collects again. A re-render over 100,000 existing profiles
 * kept, on the main thread, two listings of the output directory (a `Set` of 100,000 names each:
 * 11.6 MB) and the map of output names (10 MB) — a third of the heap that survived each full
 * collection, so about 85 MB of the peak (`--heapsnapshot-signal` mid-run, 2026-11-30). Here
 * each name costs ≈ 40 bytes outside the heap, which no garbage is sized against.
 *
 * Lookups are exact (a hash match is confirmed byte for byte); nothing is ever removed.
 * @example const t = new NameTable(); t.set('00562b043615.cfg', 'row 2'); t.get('00562b043615.cfg') // 'row 2'
 */
export class NameTable {
  /** Keys and values as Latin-1 bytes, one after the other: key i at starts[i], its value after. */
  private bytes = Buffer.allocUnsafeSlow(4096);
  private used = 0;
  /** Per entry: where its key starts, the key's and the value's length, its hash. */
  private starts = new Uint32Array(64);
  private keyLengths = new Uint32Array(64);
  private valueLengths = new Uint32Array(64);
  private hashes = new Uint32Array(64);
  private count = 0;
  /** Open addressing, linear probing: entry index + 1 per slot, 0 = empty; a power of 2 long. */
  private slots = new Uint32Array(128);
  /** Keys with a character beyond Latin-1 (a file name in another script): a plain Map. */
  private readonly others = new Map<string, string>();
  /** Values with a character beyond Latin-1 of keys in the table, by entry. */
  private readonly otherValues = new Map<number, string>();

  /** How many keys are in the table. */
  get size(): number {
    return this.count + this.others.size;
  }

  /** The value stored for `key`, or undefined. */
  get(key: string): string | undefined {
    if (!isLatin1(key)) return this.others.get(key);
    const entry = this.find(key, hashOf(key));
    if (entry < 0) return undefined;
    const valueLength = this.valueLengths[entry]!;
    if (valueLength === OTHER_VALUE) return this.otherValues.get(entry);
    const start = this.starts[entry]! + this.keyLengths[entry]!;
    const end = start + valueLength;
    return end === start ? '' : this.bytes.toString('latin1', start, end);
  }

  /** Whether `key` is in the table. */
  has(key: string): boolean {
    return isLatin1(key) ? this.find(key, hashOf(key)) >= 0 : this.others.has(key);
  }

  /** Stores `value` for `key` unless the key is there already; returns whether it was added. */
  add(key: string, value = ''): boolean {
    if (!isLatin1(key)) {
      if (this.others.has(key)) return false;
      this.others.set(key, value);
      return true;
    }
    const hash = hashOf(key);
    if (this.find(key, hash) >= 0) return false;
    if ((this.count + 1) * 4 > this.slots.length * 3) this.rehash(this.slots.length * 2);
    if (this.count === this.starts.length) this.growEntries();
    const inline = isLatin1(value);
    const length = key.length + (inline ? value.length : 0);
    if (this.used + length > this.bytes.length) this.growBytes(this.used + length);
    const entry = this.count++;
    this.starts[entry] = this.used;
    this.used += this.bytes.write(key, this.used, 'latin1');
    if (inline && value !== '') this.used += this.bytes.write(value, this.used, 'latin1');
    if (!inline) this.otherValues.set(entry, value);
    this.keyLengths[entry] = key.length;
    this.valueLengths[entry] = inline ? value.length : OTHER_VALUE;
    this.hashes[entry] = hash;
    this.place(entry, hash);
    return true;
  }

  /** The entry holding `key`, or -1. */
  private find(key: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = this.slots[slot]!;
      if (stored === 0) return -1;
      const entry = stored - 1;
      if (this.hashes[entry] === hash && this.keyEquals(entry, key)) return entry;
    }
  }

  /** Whether entry `entry`'s key is `key` (a Latin-1 string), character for character. */
  private keyEquals(entry: number, key: string): boolean {
    const length = this.keyLengths[entry]!;
    if (length !== key.length) return false;
    const start = this.starts[entry]!;
    const bytes = this.bytes;
    for (let i = 0; i < length; i++) if (bytes[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private place(entry: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private rehash(size: number): void {
    this.slots = new Uint32Array(size);
    for (let entry = 0; entry < this.count; entry++) this.place(entry, this.hashes[entry]!);
  }

  private growEntries(): void {
    const grow = (old: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> => {
      const next = new Uint32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.starts = grow(this.starts);
    this.keyLengths = grow(this.keyLengths);
    this.valueLengths = grow(this.valueLengths);
    this.hashes = grow(this.hashes);
  }

  private growBytes(needed: number): void {
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }
}

/** The value length that says an entry's value is in `otherValues`. */
const OTHER_VALUE = 0xffffffff;

/** Whether every character of `text` is Latin-1 (one byte each in the table). */
function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

/** FNV-1a over the characters. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  // Mix the high bits into the low ones: the index takes the low bits only.
  hash ^= hash >>> 15;
  return hash >>> 0;
}
