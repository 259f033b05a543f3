"""Where assets live in a project and how their asset.json is read and written: one folder per asset under
01_Assets/Generative_Assets/<Characters|Styles|Props>/, named after the asset."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from schemas.models.asset import Asset, AssetKind
from server.errors import NotFoundError
from server.projects.paths import existing_folder, new_file

ASSETS_DIR = "01_Assets/Generative_Assets"
KIND_FOLDERS = {AssetKind.Character: "Characters", AssetKind.Style: "Styles", AssetKind.Prop: "Props"}
DOCUMENT = "asset.json"
REFS_DIR = "refs"
LORAS_DIR = "loras"


class AssetNotFoundError(NotFoundError):
    code = "asset_not_found"


def folder_name(name: str) -> str:
    """The asset's folder (and LoRA file stem) for its name: spaces become underscores."""
    return name.replace(" ", "_")


@dataclass(frozen=True)
class StoredAsset:
    """An asset as the repository holds it: its document and its folder, repository-relative."""

    asset: Asset
    folder: str

    def path(self, relative: str) -> str:
        """A file of the asset (as its document names it), repository-relative."""
        return f"{self.folder}/{relative}"

    @property
    def document(self) -> str:
        return self.path(DOCUMENT)


def folder_of(kind: AssetKind, name: str) -> str:
    return f"{ASSETS_DIR}/{KIND_FOLDERS[kind]}/{folder_name(name)}"


def list_assets(root: Path, under: str = ASSETS_DIR) -> list[StoredAsset]:
    """Every readable asset under `root`/`under` (a project's, or the workspace Library's), by kind then name (a
    folder without a valid asset.json is skipped)."""
    found: list[StoredAsset] = []
    for kind, kind_folder in KIND_FOLDERS.items():
        base = root / under / kind_folder
        if not base.is_dir():
            continue
        for document in sorted(base.glob(f"*/{DOCUMENT}")):
            if document.is_symlink() or document.parent.is_symlink():
                continue  # a pushed link is never followed
            try:
                asset = Asset.model_validate_json(document.read_bytes())
            except (OSError, ValidationError):
                continue
            if asset.kind is kind:  # the folder keeps the name the asset was created with
                found.append(StoredAsset(asset, f"{under}/{kind_folder}/{document.parent.name}"))
    return found


def find_asset(root: Path, asset_id: str) -> StoredAsset:
    for stored in list_assets(root):
        if stored.asset.uuid == asset_id:
            existing_folder(root, stored.folder, field="asset_id")  # confined, like every path
            return stored
    raise AssetNotFoundError(f"The project has no asset with id '{asset_id[:64]}'.", field="asset_id")


def write_document(root: Path, stored: StoredAsset) -> None:
    """asset.json, replaced whole (a reader never sees half of it)."""
    target = new_file(root, stored.document, folder=ASSETS_DIR)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{DOCUMENT}.partial")
    partial.write_text(json.dumps(stored.asset.model_dump(mode="json", exclude_none=True), indent=2) + "\n")
    partial.replace(target)
