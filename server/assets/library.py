"""Assets in the workspace Library (<workspace>/Library/Assets/<Characters|Styles|Props>/<folder>/): promoted from
one project, listed for all (each with a thumbnail), and copied into another project file by file, each file checked
against the hash its asset.json records."""

from __future__ import annotations

import shutil
from pathlib import Path

from schemas.models.asset import Asset
from server.assets.documents import (
    ASSETS_DIR,
    DOCUMENT,
    KIND_FOLDERS,
    AssetNotFoundError,
    StoredAsset,
    list_assets,
    write_document,
)
from server.errors import DuplicateNameError, InvalidInputError, UndecodableMediaError
from server.media.hashes import sha256_of
from server.media.thumbnails import make_thumbnail
from server.media.types import MediaKind
from server.projects.git import Author, GitRepo
from server.projects.paths import existing_file, existing_folder, new_file
from server.projects.uploads import require_lfs

LIBRARY_ASSETS_DIR = "Assets"


def library_assets(library: Path) -> list[StoredAsset]:
    """The Library's assets; their folders are relative to the Library."""
    return list_assets(library, LIBRARY_ASSETS_DIR)


def find_library_asset(library: Path, asset_id: str) -> StoredAsset:
    for stored in library_assets(library):
        if stored.asset.uuid == asset_id:
            return stored
    raise AssetNotFoundError(
        f"The workspace Library has no asset with id '{asset_id[:64]}'; promote it from its project first.",
        field="asset_id",
    )


def picture_of(asset: Asset) -> str | None:
    """The file that shows the asset (relative to its folder): its newest version's first sample, else its first
    reference image; None before it has either."""
    newest_samples = asset.versions[-1].samples if asset.versions else []
    if newest_samples:
        return newest_samples[0]
    return asset.reference_images[0].file if asset.reference_images else None


def library_thumbnail(library: Path, cache: Path, stored: StoredAsset) -> Path:
    """A PNG thumbnail of the Library asset's picture, made once into `cache` (named by the picture's content, so a
    promoted-again asset gets a new one)."""
    picture = picture_of(stored.asset)
    if picture is None:
        raise AssetNotFoundError(
            f"The Library's '{stored.asset.name}' has no reference image or sample to show; add images in its "
            "project and promote it again.",
            field="asset_id",
        )
    source = existing_file(library, stored.path(picture), field="asset_id")
    target = cache / f"{sha256_of(source)}.png"
    if not target.is_file() and not make_thumbnail(source, MediaKind.image, target):
        raise UndecodableMediaError(
            f"The Library's '{stored.path(picture)}' does not decode as an image; promote the asset again from its "
            "project.",
            field="asset_id",
        )
    return target


def promote(library: Path, repo_root: Path, stored: StoredAsset) -> Path:
    """Copy the asset's folder (asset.json, reference images, trained versions) into the workspace Library, where
    every project can reuse it; a promoted asset of the same uuid is replaced, another of the same name is not."""
    relative = Path(stored.folder).relative_to(ASSETS_DIR)
    target = library / LIBRARY_ASSETS_DIR / relative
    existing = target / DOCUMENT
    if existing.is_file() and Asset.model_validate_json(existing.read_bytes()).uuid != stored.asset.uuid:
        raise DuplicateNameError(
            f"The Library already has another asset at '{LIBRARY_ASSETS_DIR}/{relative}'; rename this asset and "
            "promote it again.",
            field="asset_id",
        )
    source = existing_folder(repo_root, stored.folder, field="asset_id")
    staging = target.with_name(f".{target.name}.promoting")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, symlinks=False, ignore=shutil.ignore_patterns(".*"))
    shutil.rmtree(target, ignore_errors=True)
    staging.replace(target)
    return target


def _files(asset: Asset) -> list[tuple[str, str | None]]:
    """Every file asset.json names, relative to its folder, with the sha256 it records (sidecars record none)."""
    named: list[tuple[str, str | None]] = [(image.file, image.sha256) for image in asset.reference_images]
    for version in asset.versions:
        named += [(version.file, version.sha256), (version.sidecar, None), *((s, None) for s in version.samples)]
    return named


def copy_into(library: Path, source: StoredAsset, repo: GitRepo, author: Author) -> StoredAsset:
    """Commit the Library asset `source` into the project at `repo` (the caller holds its lock and has checked
    that its name and trigger word are free): its asset.json and the files it names, media through LFS, so the
    project's own LFS objects (and, at its next transfer, its links) hold them. Nothing stays when a file fails."""
    copied = StoredAsset(source.asset, f"{ASSETS_DIR}/{KIND_FOLDERS[source.asset.kind]}/{Path(source.folder).name}")
    if (repo.root / copied.folder).exists():
        raise DuplicateNameError(
            f"The project already has a folder '{copied.folder}'; rename or delete its asset, then import again.",
            field="asset_id",
        )
    try:
        for relative, sha256 in _files(source.asset):
            origin = existing_file(library, source.path(relative), field="asset_id")
            if sha256 is not None and sha256_of(origin) != sha256:
                raise InvalidInputError(
                    f"The Library's '{source.path(relative)}' does not match the hash its asset.json records; "
                    "promote the asset again from its project.",
                    field="asset_id",
                )
            path = copied.path(relative)
            if not path.endswith(".json"):  # images and LoRAs; sidecars stay plain git
                require_lfs(repo, path)
            target = new_file(repo.root, path, folder=ASSETS_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, target)
        write_document(repo.root, copied)
        repo.commit([copied.folder], f"asset: import '{copied.asset.name}' from the Library", author)
    except BaseException:
        shutil.rmtree(repo.root / copied.folder, ignore_errors=True)
        repo.run("reset", "--quiet", "--", copied.folder)
        raise
    return copied
