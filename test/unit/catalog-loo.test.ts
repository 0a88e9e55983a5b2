// The leave-one-out machinery (test/corpus/loo.ts, bench/catalog.bench.ts): the generator as a
// pure function still writes exported.ts byte for byte, and a catalog built without tuning
// export T really lacks what only T showed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import {
  exportedFromExports,
  exportedModuleText,
  loadTuningExports,
} from '../../scripts/catalog-from-exports.js';
import { lookupParameter, type Catalog } from '../../src/profile/catalog.js';
import { CORRECTIONS } from '../../src/profile/catalog-data/corrections.js';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';
import { FAMILY_MODEL, loadCorpus, loadFirstMeasures, measureExport } from '../corpus/corpus.js';
import { leaveOneOutCatalog, loadPreCorpusGuide } from '../corpus/loo.js';

const corpus = loadCorpus();
const tuning = corpus.filter((c) => c.set === 'tuning');
const byId = (id: string) => {
  const found = corpus.find((c) => c.id === id);
  assert.ok(found, `corpus file ${id}`);
  return found;
};
/** One leave-one-out catalog per export left out (each build runs the generator: ~0.5 s). */
const built = new Map<string, ReturnType<typeof leaveOneOutCatalog>>();
const looOf = (id: string): ReturnType<typeof leaveOneOutCatalog> => {
  let loo = built.get(id);
  if (!loo) built.set(id, (loo = leaveOneOutCatalog(tuning, id)));
  return loo;
};
const known = (catalog: Catalog, name: string, section?: 'router-configuration'): boolean =>
  lookupParameter(catalog, name, section) !== undefined;

describe('scripts/catalog-from-exports.ts as a pure function', () => {
  it('makes exported.ts byte for byte from the tuning exports (after prettier, as committed)', async () => {
    const path = fileURLToPath(
      new URL('../../src/profile/catalog-data/exported.ts', import.meta.url),
    );
    const text = exportedModuleText(exportedFromExports(loadTuningExports()));
    const formatted = await format(text, { ...(await resolveConfig(path)), filepath: path });
    assert.equal(formatted, readFileSync(path, 'utf8'));
  });

  it('reads the tuning exports only', () => {
    assert.deepEqual(
      loadTuningExports().map((e) => e.id),
      tuning.map((e) => e.id),
    );
    assert.ok(tuning.length >= 4, `${tuning.length} tuning exports`);
  });
});

describe('leaveOneOutCatalog', () => {
  it('builds from every tuning export but T, and no generated entry cites T', () => {
    for (const t of tuning) {
      const loo = looOf(t.id);
      assert.deepEqual(
        loo.from,
        tuning.filter((e) => e.id !== t.id).map((e) => e.id),
      );
      assert.ok(!(t.id in loo.data.sources), `${t.id} among the sources`);
      const citing = [...loo.data.entries, ...loo.data.evidence].filter((e) =>
        e.source.includes(t.id),
      );
      assert.deepEqual(
        citing.map((e) => e.name),
        [],
        `entries citing ${t.id}`,
      );
    }
  });

  it("leaves T's own names out: a name only T exports is unknown without T, known with it", () => {
    // The 8865 export is the only source of the camera and Wi-Fi profile 2-4 names; the ATA191
    // export the only one with a <router-configuration> section and the ATA's voice names.
    const cases: [string, string, ('router-configuration' | undefined)?][] = [
      ['jthop-8865-export', 'Camera_Exposure'],
      ['jthop-8865-export', 'Wi-Fi_Profile_Order_2_'],
      ['fusionpbx-ata191', 'WAN_Static_IP6_Gatway', 'router-configuration'],
      ['fusionpbx-ata191', 'IVR_Admin_Passwd'],
    ];
    for (const [id, name, section] of cases) {
      assert.ok(
        byId(id).parameters.some((p) => p.name === name && p.section === section),
        `${id} exports ${name}`,
      );
      const others = tuning.filter((e) => e.id !== id).flatMap((e) => e.parameters);
      assert.ok(!others.some((p) => p.name === name), `only ${id} exports ${name}`);
      assert.ok(known(DEFAULT_CATALOG, name, section), `${name} known in the full catalog`);
      const loo = looOf(id);
      assert.ok(!known(loo.catalog, name, section), `${name} unknown without ${id}`);
      // Leaving another export out keeps it.
      const other = tuning.find((e) => e.id !== id)?.id ?? '';
      assert.ok(known(looOf(other).catalog, name, section));
    }
  });

  it('measures T against the catalog built without it (validate sees the gaps)', () => {
    const t = byId('jthop-8865-export');
    const model = t.model ?? FAMILY_MODEL[t.family];
    const full = measureExport(t, model);
    const loo = measureExport(t, model, looOf(t.id).catalog);
    assert.equal(full.unknown.length, 0);
    assert.ok(loo.unknown.includes('Camera_Exposure'), 'Camera_Exposure reported unknown');
    assert.ok(loo.known < full.known && loo.known > full.known / 2, `${loo.known}/${loo.distinct}`);
    // The 8865 export was held-out until its first measure (round 4), against a catalog built
    // from the other three tuning exports: what that measure knew, the catalog without the
    // export still knows (the machinery leaves out T and nothing else).
    const first = loadFirstMeasures()[t.id];
    assert.ok(first, 'first measure of the 8865 export');
    const firstUnknown = new Set(first.unknown);
    assert.deepEqual(
      loo.unknown.filter((n) => !firstUnknown.has(n)),
      [],
    );
    assert.ok(loo.known >= first.known, `${loo.known} < ${first.known}`);
  });

  it("drops only the corrections whose entry only T made, and keeps corrections.ts's others", () => {
    const loo = looOf('jthop-8865-export');
    assert.ok(loo.droppedCorrections.includes('Camera_Exposure'));
    assert.ok(!loo.droppedCorrections.includes('Debug_Level'));
    assert.equal(
      looOf('fusionpbx-8851').droppedCorrections.length,
      0,
      'every correction names an entry the other exports or the guide still make',
    );
    const debug = loo.catalog.find((e) => e.name === 'Debug_Level');
    assert.deepEqual(debug?.type, CORRECTIONS.find((c) => c.name === 'Debug_Level')?.type);
    const bare = leaveOneOutCatalog(tuning, 'jthop-8865-export', { corrections: [] });
    assert.notDeepEqual(
      bare.catalog.find((e) => e.name === 'Debug_Level')?.type,
      debug?.type,
      'without corrections.ts the guide type stays',
    );
  });

  it('refuses a held-out export as the one left out or as building material', () => {
    assert.throws(() => leaveOneOutCatalog(tuning, 'fusionpbx-ata192'), /not a tuning export/);
    assert.throws(
      () => leaveOneOutCatalog([...tuning, byId('fusionpbx-ata192')], 'fusionpbx-8851'),
      /only tuning exports/,
    );
  });

  it('loads the guide as it was before the corpus (from git history, when there is one)', async (t) => {
    const guide = await loadPreCorpusGuide();
    if (guide === undefined) {
      t.skip('no git history here');
      return;
    }
    assert.equal(guide.length, 653);
    // Added after the corpus, from the 8832 guide's examples (second round).
    assert.ok(!known(guide, 'User_Password_Prompt'));
    assert.ok(known(DEFAULT_CATALOG, 'User_Password_Prompt'));
    assert.ok(known(guide, 'Station_Name'));
  });
});
