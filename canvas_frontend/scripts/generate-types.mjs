// Generates src/lib/types/*.ts from the JSON Schemas in ../schemas (the single source of truth).
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

const files = (await readdir(schemaDir)).filter((name) => name.endsWith(".schema.json")).sort();
const schemas = Object.fromEntries(
  await Promise.all(files.map(async (name) => [name, JSON.parse(await readFile(join(schemaDir, name), "utf8"))])),
);

// Cross-schema refs ("socket-type.schema.json#/...") resolve from the files here, never over the network.
const localFiles = {
  order: 1,
  canRead: (file) => files.includes(file.url.split("/").pop().split("#")[0]),
  read: (file) => JSON.stringify(schemas[file.url.split("/").pop().split("#")[0]]),
};

await mkdir(outDir, { recursive: true });
for (const name of files) {
  const { $id, ...schema } = schemas[name];
  const source = await compile(schema, schema.title, {
    cwd: schemaDir,
    bannerComment: `/* Generated from schemas/${name} by \`npm run --prefix canvas_frontend generate:types\`. Do not edit. */`,
    maxItems: -1,
    strictIndexSignatures: true,
    $refOptions: { resolve: { http: false, external: true, local: localFiles } },
    style: { printWidth: 110 },
  });
  const target = join(outDir, name.replace(".schema.json", ".ts"));
  await writeFile(target, source);
  console.log(`wrote ${target}`);
}

// The compatibility relation itself, so isValidConnection in the browser reads the same data as the server.
const relation = JSON.parse(await readFile(join(schemaDir, "socket-compatibility.json"), "utf8"));
const dataTarget = join(outDir, "socket-compatibility.data.ts");
await writeFile(
  dataTarget,
  `/* Generated from schemas/socket-compatibility.json by \`npm run --prefix canvas_frontend generate:types\`. Do not edit. */\n` +
    `import type { SocketCompatibility } from "./socket-compatibility";\n\n` +
    `export const SOCKET_COMPATIBILITY: SocketCompatibility = ${JSON.stringify(relation, null, 2)};\n`,
);
console.log(`wrote ${dataTarget}`);
