import { describe, expect, it } from "vitest";
import type { AssetPublic, LibraryAssetPublic } from "../api";
import { assetNodeData, decodeDrag, encodeDrag, shelfEntries } from "./shelf";

const FOLDER = "01_Assets/Generative_Assets/Characters/Mara_Voss";
const FILES = `/api/v1/projects/p1/files/${FOLDER}`;
const INES_THUMBNAIL = "/api/v1/projects/p1/library/assets/u3/thumbnail";

function asset(uuid: string, name: string, versions = 0, images = 1): AssetPublic["asset"] {
  return {
    schema_version: 1,
    uuid,
    kind: "Character",
    name,
    trigger_word: `sks_${name.toLowerCase()}`,
    description: "",
    created_at: "2026-11-30T07:30:00Z",
    reference_images: Array.from({ length: images }, (_, i) => ({
      file: `refs/r${i}.png`,
      sha256: "a".repeat(64),
      width: 64,
      height: 64,
    })),
    versions: Array.from({ length: versions }, (_, i) => ({
      version: i + 1,
      file: `loras/Mara_Voss_v0${i + 1}.safetensors`,
      sidecar: `loras/Mara_Voss_v0${i + 1}.json`,
      sha256: "b".repeat(64),
      base_model: "stable-diffusion-v1-5",
      trained_at: "2026-11-30T08:00:00Z",
      task_id: `t${i}`,
      samples: [`loras/Mara_Voss_v0${i + 1}_sample1.png`],
    })),
  } as AssetPublic["asset"];
}

describe("shelfEntries", () => {
  it("lists project assets with their newest version and sample, then Library assets not yet imported", () => {
    const project: AssetPublic[] = [{ asset: asset("u1", "Mara", 2), folder: FOLDER }];
    const library: LibraryAssetPublic[] = [
      { asset: asset("u1", "Mara", 1), library_path: "Assets/Characters/Mara_Voss", thumbnail_url: "/not-shown" },
      { asset: asset("u2", "Odo", 0, 0), library_path: "Assets/Characters/Odo", thumbnail_url: null },
      { asset: asset("u3", "Ines", 1), library_path: "Assets/Characters/Ines", thumbnail_url: INES_THUMBNAIL },
    ];
    const entries = shelfEntries("p1", project, library);
    expect(entries.map((e) => [e.id, e.source, e.latestVersion, e.thumbnailUrl])).toEqual([
      ["u1", "project", 2, `${FILES}/loras/Mara_Voss_v02_sample1.png`],
      ["u2", "library", null, null],
      ["u3", "library", 1, INES_THUMBNAIL], // the Library's files are served by its own thumbnail route
    ]);
    expect(entries[0]).toMatchObject({ name: "Mara", kind: "Character", triggerWord: "sks_mara", folder: FOLDER });
  });

  it("shows the first reference image of an untrained asset", () => {
    const [entry] = shelfEntries("p1", [{ asset: asset("u1", "Mara", 0, 2), folder: FOLDER }], []);
    expect([entry.latestVersion, entry.thumbnailUrl]).toEqual([null, `${FILES}/refs/r0.png`]);
  });
});

describe("the asset drag", () => {
  it("makes Asset node data that references the asset by uuid", () => {
    expect(assetNodeData({ asset: asset("u1", "Mara"), folder: FOLDER })).toEqual({
      asset_id: "u1",
      name: "Mara",
      kind: "character",
      path: FOLDER,
    });
  });

  it("round-trips the entry it carries and refuses anything else", () => {
    const odo = { asset: asset("u2", "Odo"), library_path: "Assets/Characters/Odo", thumbnail_url: null };
    const [entry] = shelfEntries("p1", [], [odo]);
    expect(decodeDrag(encodeDrag(entry))).toEqual({ id: "u2", source: "library" });
    expect(decodeDrag("not json")).toBeNull();
    expect(decodeDrag('{"id": "u2", "source": "elsewhere"}')).toBeNull();
    expect(decodeDrag("null")).toBeNull();
  });
});
