// Generates src/lib/api/schema.ts, the types of the REST API, from the studio's OpenAPI document
// (server/openapi_document.py: what /openapi.json serves) with openapi-typescript; lib/api calls the
// API through openapi-fetch with these types.
// Run: npm run --prefix canvas_frontend generate:api   (tests/server/test_openapi_document.py checks it)
// With --openapi FILE it reads that document instead of asking the server code; with --out DIR it writes
// there (the drift test compares that with the committed file).
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const option = (name) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? resolve(process.argv[index + 1]) : undefined;
};
const outDir = option("--out") ?? resolve(here, "../src/lib/api");
const documentFile = option("--openapi");

const document = documentFile
  ? await readFile(documentFile, "utf8")
  : execFileSync(join(repo, ".venv/bin/python"), ["-m", "server.openapi_document"], {
      cwd: repo,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });

// A component that is a contract of schemas/ (the server's model generated from it, named by its title as
// contracts.ts names it) is that contract's type: REST answers and socket events share one type per contract.
const contracts = await readFile(resolve(here, "../src/lib/types/contracts.ts"), "utf8");
const contractNames = new Set([...contracts.matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1]));
const reference = (name) => ts.factory.createTypeReferenceNode(ts.factory.createIdentifier(name));

const ast = await openapiTS(JSON.parse(document), {
  alphabetize: true,
  // A request field with a default may be left out; answers list such fields as required already.
  defaultNonNullable: false,
  inject: 'import type * as contracts from "../types/contracts";\n',
  transform(schema, { path }) {
    // A raw file body (an upload) is a Blob (a File) in the browser, not the string the format names.
    if (schema.format === "binary") return reference("Blob");
    const component = /^#\/components\/schemas\/([^/]+)$/.exec(path ?? "")?.[1];
    return component && contractNames.has(component) ? reference(`contracts.${component}`) : undefined;
  },
});
const banner =
  "/* Generated from the studio's OpenAPI document (server/openapi_document.py) by " +
  "`npm run --prefix canvas_frontend generate:api`. Do not edit. */\n\n";
await mkdir(outDir, { recursive: true });
const target = join(outDir, "schema.ts");
await writeFile(target, banner + astToString(ast));
console.log(`wrote ${target}`);
