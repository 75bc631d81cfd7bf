// read.mjs ARCHIVE NODE_MODULES: reads a PMTiles archive with the reference reader (npm
// pmtiles), fetches every tile its directories list and decodes it as a Mapbox Vector
// Tile (npm @mapbox/vector-tile), and prints one JSON summary line. Exits non-zero when
// a tile is missing or does not decode.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [archive, nm] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(join(nm, p)).href);
const { PMTiles, tileIdToZxy } = await load('pmtiles/dist/esm/index.js');
const { VectorTile } = await load('@mapbox/vector-tile/index.js');
const { default: Pbf } = await load('pbf/index.js');

const bytes = readFileSync(archive);
class BufferSource {
  getKey() { return archive; }
  async getBytes(offset, length) {
    const b = bytes.subarray(offset, offset + length);
    return { data: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) };
  }
}

const p = new PMTiles(new BufferSource());
const header = await p.getHeader();
const metadata = await p.getMetadata();

// Walk the directories as the format defines them, with the library's own decoder.
async function entries(offset, length, out) {
  const dir = await p.cache.getDirectory(p.source, offset, length, header);
  for (const e of dir) {
    if (e.runLength === 0) await entries(header.leafDirectoryOffset + e.offset, e.length, out);
    else out.push(e);
  }
  return out;
}
const all = await entries(header.rootDirectoryOffset, header.rootDirectoryLength, []);

const summary = { spec_version: header.specVersion, tile_type: header.tileType, min_zoom: header.minZoom,
  max_zoom: header.maxZoom, addressed: 0, entries: all.length, features: 0, max_bytes: 0, layers: {}, zooms: {} };
for (const e of all) {
  for (let i = 0; i < e.runLength; i++) {
    const [z, x, y] = tileIdToZxy(e.tileId + i);
    const t = await p.getZxy(z, x, y);
    if (!t || !t.data) throw new Error(`tile ${z}/${x}/${y} listed but not returned`);
    // getZxy decompresses as the header's tile compression says.
    const raw = Buffer.from(t.data);
    if (raw[0] === 0x1f && raw[1] === 0x8b) throw new Error(`tile ${z}/${x}/${y} still gzipped`);
    summary.max_bytes = Math.max(summary.max_bytes, raw.length);
    const vt = new VectorTile(new Pbf(raw));
    for (const [name, layer] of Object.entries(vt.layers)) {
      for (let j = 0; j < layer.length; j++) {
        const f = layer.feature(j);
        f.loadGeometry();
        f.toGeoJSON(x, y, z);
        summary.features++;
      }
      summary.layers[name] = (summary.layers[name] || 0) + layer.length;
    }
    summary.addressed++;
    summary.zooms[z] = (summary.zooms[z] || 0) + 1;
  }
}
summary.vector_layers = (metadata.vector_layers || []).map((l) => l.id);
console.log(JSON.stringify(summary));
