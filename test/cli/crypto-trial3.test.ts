// encrypt/decrypt as an admin and an attacker would use them (cryptotrial3): batch names that
// collide, an --out-dir inside its input, symlinks in a walked directory, --keys CSV edge cases,
// secrets read from files, aes128gcm record sizes at the RFC's limits.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import * as ece from 'http_ece';
import { displayNameProfile, opensslDecrypt } from '../helpers/openssl-enc.js';
import { interruptOnceWritten } from '../helpers/interrupt.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';

const KEY = 'Trial3-Passphrase';
const env = { KEY };
const profile = displayNameProfile;
const { fresh } = testDirectory('cisco-prov-trial3-');

/** Every file under `root`, relative, sorted. */
const tree = (root: string): string[] =>
  (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();

describe('encrypt/decrypt --out-dir: names and the walk', () => {
  test('two inputs with one output name: the first is written, the second fails (exit 2), neither lost silently', async () => {
    const root = fresh('clash');
    const inDir = fresh('clash/in');
    writeFileSync(join(inDir, 'lobby.txt'), profile('txt'));
    writeFileSync(join(inDir, 'lobby.xml'), profile('xml'));
    const out = join(root, 'out');
    const r = await runCli(['encrypt', '--key-env', 'KEY', inDir, '--out-dir', out, '--json'], {
      env,
    });
    assert.equal(r.code, 2, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.files.map((f: { status: string }) => f.status),
      ['written', 'failed'],
    );
    assert.match(report.files[1].error, /lobby\.txt's too \(not written\)/);
    assert.equal(report.written, 1);
    assert.deepEqual(tree(out), ['lobby.cfg']);
    assert.equal(opensslDecrypt(join(out, 'lobby.cfg'), KEY), profile('txt'));

    // decrypt: a.cfg becomes a.xml, as does a plain a.xml beside it.
    const dec = join(root, 'dec');
    const d = await runCli(
      [
        'decrypt',
        '--key-env',
        'KEY',
        join(out, 'lobby.cfg'),
        join(inDir, 'lobby.xml'),
        '--out-dir',
        dec,
      ],
      { env },
    );
    assert.equal(d.code, 2, d.stderr);
    assert.match(d.stderr, /lobby\.xml: its output name is .*lobby\.cfg's too/);
    assert.match(d.stderr, /decrypted 1 of 2 file\(s\)/);
  });

  test('an --out-dir inside the input directory is not walked: a re-run does not encrypt its own output', async () => {
    const inDir = fresh('inside/profiles');
    writeFileSync(join(inDir, '00562b043615.xml'), profile('one'));
    const out = join(inDir, 'enc');
    for (let run = 0; run < 2; run++) {
      const r = await runCli(['encrypt', '--key-env', 'KEY', inDir, '--out-dir', out], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /encrypted 1 of 1 file/);
    }
    assert.deepEqual(tree(out), ['00562b043615.cfg']);
  });

  test('--follow-links: symlinks in a walked directory are followed (a file, a directory), a loop is not, a dangling one fails alone', async () => {
    const root = fresh('links');
    const elsewhere = fresh('links/elsewhere');
    writeFileSync(join(elsewhere, 'target.xml'), profile('linked'));
    const inDir = fresh('links/in');
    mkdirSync(join(inDir, 'sub'));
    writeFileSync(join(inDir, 'sub', 'real.xml'), profile('real'));
    symlinkSync(join(elsewhere, 'target.xml'), join(inDir, 'linked.xml'));
    symlinkSync(elsewhere, join(inDir, 'linkdir'));
    symlinkSync('..', join(inDir, 'sub', 'loop'));
    symlinkSync(join(root, 'missing.xml'), join(inDir, 'dangling.xml'));
    const out = join(root, 'out');
    const r = await runCli(
      ['encrypt', '--key-env', 'KEY', inDir, '--out-dir', out, '--follow-links'],
      { env },
    );
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /dangling\.xml: cannot read: no such file or directory/);
    assert.match(r.stderr, /encrypted 3 of 4 file\(s\)/);
    assert.deepEqual(tree(out), ['linkdir/target.cfg', 'linked.cfg', 'sub/real.cfg']);
    assert.equal(opensslDecrypt(join(out, 'linked.cfg'), KEY), profile('linked'));
  });
});

describe('decrypt: aes128gcm record sizes at the RFC limits', () => {
  test('an http_ece body with rs 2^32 - 1 (one short record) opens: -o, stdout, and --out-dir', async () => {
    const xml = profile('one record');
    const body = ece.encrypt(Buffer.from(xml), {
      version: 'aes128gcm',
      key: Buffer.from('sixteen byte ikm'),
      rs: 0xffffffff,
    });
    const root = fresh('rsmax');
    const file = join(root, 'big-rs.xml');
    writeFileSync(file, body);
    const ikmEnv = { IKM: 'sixteen byte ikm' };
    const toStdout = await runCli(['decrypt', '--ikm-env', 'IKM', file], { env: ikmEnv });
    assert.equal(toStdout.code, 0, toStdout.stderr);
    assert.equal(toStdout.stdout, xml);
    const out = join(root, 'plain.xml');
    const toFile = await runCli(['decrypt', '--ikm-env', 'IKM', file, '-o', out], { env: ikmEnv });
    assert.equal(toFile.code, 0, toFile.stderr);
    assert.equal(readFileSync(out, 'utf8'), xml);
    const batch = await runCli(
      ['decrypt', '--ikm-env', 'IKM', file, '--out-dir', join(root, 'd')],
      {
        env: ikmEnv,
      },
    );
    assert.equal(batch.code, 0, batch.stderr);
    assert.equal(readFileSync(join(root, 'd', 'big-rs.xml'), 'utf8'), xml);
  });
});

describe('secrets from a key file, the environment, the command line', () => {
  const opensslKfile = (file: string, keyFile: string) =>
    execFileSync(
      'openssl',
      ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-kfile', keyFile, '-in', file],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    ).toString();

  test('a key file is read as `openssl enc -kfile` reads it: UTF-8, CRLF, several CRs, no line end', async () => {
    const root = fresh('kfile');
    const xml = join(root, 'p.xml');
    writeFileSync(xml, profile('kfile'));
    const cases: [string, Buffer][] = [
      ['utf8', Buffer.from('Café-Schlüssel\n')],
      ['crlf', Buffer.from('Trial3-Passphrase\r\nsecond line\r\n')],
      ['crs', Buffer.from('Trial3-Passphrase\r\r\r\n')],
      ['bare', Buffer.from('Trial3-Passphrase')],
      ['tab', Buffer.from('with\ttab and space \n')],
    ];
    for (const [name, bytes] of cases) {
      const keyFile = join(root, `${name}.key`);
      writeFileSync(keyFile, bytes);
      const out = join(root, `${name}.cfg`);
      const r = await runCli(['encrypt', '--key-file', keyFile, xml, '-o', out]);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      assert.equal(opensslKfile(out, keyFile), profile('kfile'), name);
      // and back: a file openssl made with -kfile opens with the same --key-file
      const theirs = join(root, `${name}.openssl.cfg`);
      execFileSync(
        'openssl',
        ['enc', '-aes-256-cbc', '-md', 'md5', '-kfile', keyFile, '-in', xml, '-out', theirs],
        {
          stdio: 'ignore',
        },
      );
      const d = await runCli(['decrypt', '--key-file', keyFile, theirs]);
      assert.equal(d.code, 0, `${name}: ${d.stderr}`);
      assert.equal(d.stdout, profile('kfile'), name);
    }
  });

  test('a secret that is not UTF-8 or holds a NUL is refused (exit 2), never shown, nothing written', async () => {
    const root = fresh('badsecret');
    const xml = join(root, 'p.xml');
    writeFileSync(xml, profile('bad'));
    const latin1 = join(root, 'latin1.key');
    writeFileSync(latin1, Buffer.from('Geheimnis-caf\xe9\n', 'latin1'));
    const nul = join(root, 'nul.key');
    writeFileSync(nul, Buffer.from('Geheimnis\0rest\n'));
    const out = join(root, 'p.cfg');
    const runs = [
      await runCli(['encrypt', '--key-file', latin1, xml, '-o', out]),
      await runCli(['encrypt', '--key-file', latin1, xml]),
      await runCli(['encrypt', '--key-file', nul, xml, '-o', out]),
      await runCli(['decrypt', '--key-file', latin1, xml]),
      await runCli(['encrypt', '--ikm-file', latin1, xml, '-o', out]),
      await runCli(['encrypt', '--key-file', latin1, xml, '--out-dir', join(root, 'o')]),
    ];
    for (const r of runs) {
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /: the secret (is not UTF-8 text|contains a NUL byte)/);
      assert.doesNotMatch(r.stderr, /Geheimnis/);
      assert.equal(r.stdout, '');
    }
    assert.deepEqual(readdirSync(root).sort(), ['latin1.key', 'nul.key', 'p.xml']);
  });
});

describe('a key file that is no key file', () => {
  test('--key-file /dev/zero: refused after 64 KiB with no line end (exit 2), not read forever', async () => {
    const root = fresh('devzero');
    const xml = join(root, 'p.xml');
    writeFileSync(xml, profile('zero'));
    for (const args of [
      ['encrypt', '--key-file', '/dev/zero', xml, '-o', join(root, 'p.cfg')],
      ['decrypt', '--ikm-file', '/dev/zero', xml],
    ]) {
      const r = spawnSync(process.execPath, [BIN, ...args], { timeout: 60_000 });
      assert.equal(r.status, 2, r.stderr.toString());
      assert.match(r.stderr.toString(), /\/dev\/zero: no line end in its first 65536 bytes/);
    }
    assert.deepEqual(readdirSync(root), ['p.xml']);
  });

  test('--keys /dev/zero: refused past 64 MiB (exit 2), not read forever', () => {
    const root = fresh('keyszero');
    const xml = join(root, 'p.xml');
    writeFileSync(xml, profile('zero'));
    const r = spawnSync(
      process.execPath,
      [BIN, 'encrypt', '--keys', '/dev/zero', xml, '--out-dir', join(root, 'out')],
      { timeout: 60_000 },
    );
    assert.equal(r.status, 2, r.stderr.toString());
    assert.match(r.stderr.toString(), /--keys \/dev\/zero: larger than 67108864 bytes \(64 MiB\)/);
    assert.deepEqual(readdirSync(root), ['p.xml']);
  });
});

describe('--keys CSV', () => {
  const setup = (name: string, csv: string | Buffer) => {
    const root = fresh(`keys-${name}`);
    const inDir = fresh(`keys-${name}/in`);
    writeFileSync(join(inDir, '00562b043615.xml'), profile('mac'));
    writeFileSync(join(inDir, 'lobby.xml'), profile('lobby'));
    const keys = join(root, 'keys.csv');
    writeFileSync(keys, csv);
    return { root, inDir, keys, out: join(root, 'out') };
  };

  test('a BOM, CRLF line ends and any MAC notation are read; both files open with their own key', async () => {
    const { inDir, keys, out } = setup(
      'bom',
      '\ufeffMAC,File,Key\r\n00:56:2B:04:36:15,,Key-By-Mac\r\n,lobby.xml,Key-By-File\r\n',
    );
    const r = await runCli(['encrypt', '--keys', keys, inDir, '--out-dir', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(opensslDecrypt(join(out, '00562b043615.cfg'), 'Key-By-Mac'), profile('mac'));
    assert.equal(opensslDecrypt(join(out, 'lobby.cfg'), 'Key-By-File'), profile('lobby'));
  });

  test('an error names the line the row is on, counting blank lines and quoted line breaks', async () => {
    const { inDir, keys, out } = setup(
      'lines',
      'file,key\nlobby.xml,Key-One\n\n\nother.xml,"Key\nwith a line break"\nbad.xml,\n',
    );
    const r = await runCli(['encrypt', '--keys', keys, inDir, '--out-dir', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /keys\.csv:7: expected a key or an ikm/);
    assert.doesNotMatch(r.stderr, /Key-One|line break/);
  });

  test('one MAC or file name on two rows with different keys is refused (exit 2, both lines named); the same key twice is fine', async () => {
    const clash = setup('dup', 'mac,key\n00:56:2B:04:36:15,Key-First\n0056.2b04.3615,Key-Second\n');
    const r = await runCli(['encrypt', '--keys', clash.keys, clash.inDir, '--out-dir', clash.out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /keys\.csv:3: mac 00562b043615 is also on line 2 with another key/);
    assert.doesNotMatch(r.stderr, /Key-First|Key-Second/);
    assert.deepEqual(readdirSync(clash.root).sort(), ['in', 'keys.csv']);

    const files = setup('dupfile', 'file,key\nlobby.xml,Key-A\nlobby.xml,Key-B\n');
    const f = await runCli(['encrypt', '--keys', files.keys, files.inDir, '--out-dir', files.out]);
    assert.equal(f.code, 2, f.stderr);
    assert.match(f.stderr, /keys\.csv:3: file lobby\.xml is also on line 2/);

    const same = setup('dupsame', 'mac,key\n00:56:2B:04:36:15,Key-Same\n0056.2b04.3615,Key-Same\n');
    const s = await runCli([
      'encrypt',
      '--keys',
      same.keys,
      join(same.inDir, '00562b043615.xml'),
      '--out-dir',
      same.out,
    ]);
    assert.equal(s.code, 0, s.stderr);
  });

  test('a CSV that is not UTF-8 is refused naming its line, not turned into U+FFFD keys', async () => {
    const { inDir, keys, out, root } = setup(
      'latin1',
      Buffer.from('mac,key\n00:56:2B:04:36:15,Cl\xe9-secr\xe8te\n', 'latin1'),
    );
    const r = await runCli(['encrypt', '--keys', keys, inDir, '--out-dir', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /keys\.csv:2: not UTF-8 text/);
    assert.deepEqual(readdirSync(root).sort(), ['in', 'keys.csv']);
  });
});

describe('a signal during a one-thread batch', () => {
  test('SIGINT while --jobs 1 encrypts 3,000 files: it stops (exit 130) before the end, no temp file left', async () => {
    const root = fresh('sigint');
    const inDir = fresh('sigint/in');
    for (let i = 0; i < 3000; i++) writeFileSync(join(inDir, `p${i}.xml`), profile(String(i)));
    const out = join(root, 'out');
    // As soon as the first file is there, the batch is under way: interrupt it.
    const { code, left } = await interruptOnceWritten(
      ['encrypt', '--key-env', 'KEY', '--gzip', inDir, '--out-dir', out, '--jobs', '1'],
      out,
      '.cfg',
      { env: { KEY } },
    );
    assert.equal(code, 130);
    assert.deepEqual(
      left.filter((n) => n.endsWith('.tmp')),
      [],
    );
    assert.ok(left.length < 3000, `${left.length} files: the batch ran to its end`);
  });
});

describe('keygen -o', () => {
  test('a new key file is 0600 whatever the umask, and an existing one is never replaced (exit 2)', () => {
    const root = fresh('keygen');
    const file = join(root, 'key.txt');
    // umask 0: a plain `keygen > key.txt` would make it 0666, readable and writable by anyone.
    execFileSync('sh', ['-c', 'umask 0 && "$0" "$1" keygen -o "$2"', process.execPath, BIN, file]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const key = readFileSync(file, 'utf8');
    assert.match(key, /^[A-Za-z0-9_-]{32}\n$/);
    const again = spawnSync(process.execPath, [BIN, 'keygen', '--ikm', '-o', file]);
    assert.equal(again.status, 2);
    assert.match(again.stderr.toString(), /key\.txt exists: keygen never replaces a key file/);
    assert.equal(readFileSync(file, 'utf8'), key);
    assert.equal(again.stdout.length, 0);
  });
});

describe('--keys CSV without its header row', () => {
  test('the first row is taken for the header: refused naming only known columns, never its key', async () => {
    const root = fresh('nohdr');
    const xml = join(root, 'p.xml');
    writeFileSync(xml, profile('nohdr'));
    for (const [name, csv] of [
      ['two.csv', '00562b043615,Secret-In-Row-1\n00562b043616,Secret-In-Row-2\n'],
      ['one.csv', 'lobby.xml,Secret-In-Row-1\n'],
    ] as const) {
      const keys = join(root, name);
      writeFileSync(keys, csv);
      const r = await runCli(['encrypt', '--keys', keys, xml, '--out-dir', join(root, 'out')]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /:1: no header row: .* \(its 2 cell\(s\) are not shown/);
      assert.doesNotMatch(r.stderr, /secret-in-row/i);
    }
  });
});

describe('decrypt --out-dir: bounded memory', () => {
  test('a file larger than --max-size is refused unread (a batch holds each file whole); the others open', async () => {
    const root = fresh('maxsize');
    const inDir = fresh('maxsize/in');
    const ok = join(inDir, 'ok.cfg');
    execFileSync('openssl', ['enc', '-aes-256-cbc', '-md', 'md5', '-k', KEY, '-out', ok], {
      input: profile('small'),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // 3 GB of nothing (sparse): read whole, it would be gigabytes of memory — or, past 2 GiB, a
    // read error (exit 3) instead of the limit's message.
    const huge = join(inDir, 'huge.cfg');
    writeFileSync(huge, '');
    truncateSync(huge, 3 * 1024 ** 3);
    const out = join(root, 'out');
    const r = await runCli(['decrypt', '--key-env', 'KEY', inDir, '--out-dir', out], { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /huge\.cfg: the file exceeds --max-size 67108864 bytes \(64 MiB\)/);
    assert.deepEqual(tree(out), ['ok.xml']);
    const small = await runCli(
      ['decrypt', '--key-env', 'KEY', ok, '--out-dir', join(root, 'o2'), '--max-size', '100'],
      { env },
    );
    assert.equal(small.code, 0, small.stderr);
  });
});
