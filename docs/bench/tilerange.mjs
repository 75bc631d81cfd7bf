// tilerange.mjs ARCHIVE Z X Y NODE_MODULES: prints "OFFSET LENGTH" of tile z/x/y in a
// PMTiles archive, the byte range a PMTiles client requests for it, found with the npm
// pmtiles reader's own directory decoding.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [archive, z, x, y, nm] = process.argv.slice(2);
const { PMTiles, zxyToTileId } = await import(pathToFileURL(join(nm, 'pmtiles/dist/esm/index.js')).href);
const bytes = readFileSync(archive);
const source = {
  getKey: () => archive,
  getBytes: async (o, l) => {
    const b = bytes.subarray(o, o + l);
    return { data: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) };
  },
};
const p = new PMTiles(source);
const h = await p.getHeader();
const id = zxyToTileId(+z, +x, +y);
let [off, len] = [h.rootDirectoryOffset, h.rootDirectoryLength];
for (let depth = 0; depth < 4; depth++) {
  const dir = await p.cache.getDirectory(p.source, off, len, h);
  let e = null;
  for (const d of dir) if (d.tileId <= id) e = d;
  if (!e) break;
  if (e.runLength === 0) { [off, len] = [h.leafDirectoryOffset + e.offset, e.length]; continue; }
  if (id >= e.tileId + e.runLength) break;
  console.log(`${h.tileDataOffset + e.offset} ${e.length}`);
  process.exit(0);
}
console.error(`tile ${z}/${x}/${y} not in ${archive}`);
process.exit(1);
