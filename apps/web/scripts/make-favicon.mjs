// Renders src/app/icon.svg (the logo) into src/app/favicon.ico at 16, 32 and 48 px: an ICO file
// whose images are PNGs. Run it after changing the logo: `node scripts/make-favicon.mjs`.
import { readFileSync, writeFileSync } from "node:fs";
import sharp from "sharp";

const sizes = [16, 32, 48];
const svg = readFileSync(new URL("../src/app/icon.svg", import.meta.url));
const images = await Promise.all(sizes.map((size) => sharp(svg, { density: 384 }).resize(size, size).png().toBuffer()));

const header = Buffer.alloc(6);
header.writeUInt16LE(0, 0); // reserved
header.writeUInt16LE(1, 2); // type: icon
header.writeUInt16LE(images.length, 4);
let offset = header.length + 16 * images.length;
const entries = images.map((image, index) => {
  const entry = Buffer.alloc(16);
  entry.writeUInt8(sizes[index], 0); // width
  entry.writeUInt8(sizes[index], 1); // height
  entry.writeUInt16LE(1, 4); // colour planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(image.length, 8);
  entry.writeUInt32LE(offset, 12);
  offset += image.length;
  return entry;
});
writeFileSync(new URL("../src/app/favicon.ico", import.meta.url), Buffer.concat([header, ...entries, ...images]));
