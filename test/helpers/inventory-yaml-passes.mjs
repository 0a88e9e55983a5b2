// Child process of the YAML inventory memory test: reads the YAML inventory at argv[2] the way
// render does (a scan, then two passes of every device) and prints how many devices each pass
// yielded. argv[3] `whole` parses the text whole instead (the control). Run with tsx and
// test/helpers/max-rss.mjs preloaded, which writes the peak RSS to $MAX_RSS_FILE on exit.
import { readFileSync } from 'node:fs';
import { InventoryReader } from '../../src/render/inventory.ts';

const [path, mode] = process.argv.slice(2);
const reader = new InventoryReader(readFileSync(path, 'utf8'), 'inv.yaml', 'yaml', {
  yamlWholeParseMax: mode === 'whole' ? Infinity : 0,
});
const counts = [0, 1].map(() => {
  let n = 0;
  for (const device of reader.devices([], { duplicates: false })) if (device.mac) n++;
  return n;
});
console.log(JSON.stringify(counts));
