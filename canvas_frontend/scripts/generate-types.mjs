// Generates src/lib/types/ from the JSON Schemas in ../schemas (the single source of truth):
//   contracts.ts                  every schema's types, each declared once (SocketType, Port, TaskType, ...)
//   socket-compatibility.data.ts  the socket compatibility relation, for isValidConnection
//   media-types.data.ts           the media extensions and their kinds (schemas/media-types.json)
// Run: npm run --prefix canvas_frontend generate:types   (tests/schemas/test_drift.py checks it)
// With --out DIR it writes there instead (the drift test compares that with the committed files).
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const schemaDir = resolve(here, "../../schemas");
const outIndex = process.argv.indexOf("--out");
const outDir = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : resolve(here, "../src/lib/types");
const banner = (source) =>
  `/* Generated from ${source} by \`npm run --prefix canvas_frontend generate:types\`. Do not edit. */`;

const files = (await readdir(schemaDir)).filter((name) => name.endsWith(".schema.json")).sort();
const schemas = Object.fromEntries(
  await Promise.all(files.map(async (name) => [name, JSON.parse(await readFile(join(schemaDir, name), "utf8"))])),
);
const fileOf = (url) => url.split("/").pop().split("#")[0];

// One root that refers to every schema: compiled together, a definition several schemas share is one
// type. Refs resolve from the files here, never over the network.
const root = {
  title: "StudioContracts",
  description: "Every contract in schemas/, by schema name.",
  type: "object",
  additionalProperties: false,
  properties: Object.fromEntries(files.map((name) => [name.replace(".schema.json", ""), { $ref: name }])),
};
const contracts = await compile(root, "StudioContracts", {
  cwd: schemaDir,
  bannerComment: banner("schemas/*.schema.json"),
  maxItems: -1,
  strictIndexSignatures: true,
  style: { printWidth: 110 },
  $refOptions: {
    resolve: {
      http: false,
      local: {
        order: 1,
        canRead: (file) => files.includes(fileOf(file.url)),
        read: (file) => JSON.stringify(schemas[fileOf(file.url)]),
      },
    },
  },
});

// A definition referred to both from its own file ("#/$defs/TaskType") and from others
// ("pipeline-manifest.schema.json#/$defs/TaskType") comes out twice, the copy named TaskType1:
// keep one declaration and point the references at it.
function mergeNumberedCopies(source) {
  const aliases = new Map([...source.matchAll(/^export type (\w+) =([^;]*);$/gm)].map((m) => [m[1], m[2]]));
  let merged = source;
  for (const [name, body] of aliases) {
    const original = /^(\w+?)\d+$/.exec(name)?.[1];
    if (original && aliases.get(original) === body) {
      const declaration = new RegExp(`(?:/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\n)?export type ${name} =[^;]*;\\n`);
      merged = merged.replace(declaration, "").replaceAll(new RegExp(`\\b${name}\\b`, "g"), original);
    }
  }
  return merged;
}

// A data file of schemas/ as a typed constant, so the browser reads the same table as the server.
async function dataModule(file, type, constant) {
  const value = JSON.parse(await readFile(join(schemaDir, file), "utf8"));
  return (
    `${banner(`schemas/${file}`)}\n` +
    `import type { ${type} } from "./contracts";\n\n` +
    `export const ${constant}: ${type} = ${JSON.stringify(value, null, 2)};\n`
  );
}

await mkdir(outDir, { recursive: true });
for (const [name, source] of [
  ["contracts.ts", mergeNumberedCopies(contracts)],
  [
    "socket-compatibility.data.ts",
    await dataModule("socket-compatibility.json", "SocketCompatibility", "SOCKET_COMPATIBILITY"),
  ],
  ["media-types.data.ts", await dataModule("media-types.json", "MediaTypes", "MEDIA_TYPES")],
]) {
  await writeFile(join(outDir, name), source);
  console.log(`wrote ${join(outDir, name)}`);
}
