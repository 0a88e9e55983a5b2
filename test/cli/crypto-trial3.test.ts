// encrypt/decrypt as an admin and an attacker would use them (cryptotrial3): batch names that
// collide, an --out-dir inside its input, symlinks in a walked directory, --keys CSV edge cases,
// secrets read from files, aes128gcm record sizes at the RFC's limits.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ece from 'http_ece';
import { runCli } from '../helpers/run-cli.js';

const KEY = 'Trial3-Passphrase';
const env = { KEY };
const profile = (n: string) =>
  `<flat-profile>\n  <Display_Name_1_>${n}</Display_Name_1_>\n</flat-profile>\n`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-trial3-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh directory under the test's temp directory. */
function fresh(name: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  return path;
}

const opensslDecrypt = (file: string, pass: string) =>
  execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', pass, '-in', file], {
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();

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

  test('symlinks in a walked directory are followed (a file, a directory), a loop is not, a dangling one fails alone', async () => {
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
    const r = await runCli(['encrypt', '--key-env', 'KEY', inDir, '--out-dir', out], { env });
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
