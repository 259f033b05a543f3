"""The Asset Manager's operations on a project's assets: each change checked (names and trigger words unique in the
project, every path confined), written and committed as one commit under the repository lock."""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from schemas.models.asset import Asset, AssetKind, ReferenceImage
from server.assets.documents import (
    ASSETS_DIR,
    REFS_DIR,
    StoredAsset,
    find_asset,
    folder_of,
    list_assets,
    write_document,
)
from server.assets.library import copy_into, find_library_asset, library_assets, library_thumbnail, promote
from server.db.tables import User, utcnow
from server.errors import DuplicateNameError, FileNotInProjectError, InvalidInputError, UnsupportedMediaTypeError
from server.media.probe import probe
from server.media.types import MediaKind, extensions_of
from server.projects.git import GitRepo, studio_author
from server.projects.paths import existing_folder, new_file
from server.projects.service import Access, ProjectService
from server.projects.uploads import UploadSpool, place, require_lfs, verified, withdraw

LIBRARY_THUMBNAILS_DIR = "thumbnails/library"  # under the state dir: the Library holds only what was promoted
NAME_RULE = "1-64 letters, digits, spaces, '_' or '-', starting and ending with a letter or digit"
TRIGGER_RULE = "2-40 letters, digits or '_', starting with a letter or digit"
_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9 _-]{0,62}[A-Za-z0-9])?")
_TRIGGER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]{1,39}")


@dataclass(frozen=True)
class AssetChanges:
    """An update: what is None stays as it is; `captions` sets (or, with "", clears) the named images' captions."""

    name: str | None = None
    trigger_word: str | None = None
    description: str | None = None
    captions: dict[str, str] | None = None


class AssetService:
    def __init__(self, projects: ProjectService) -> None:
        self.projects = projects

    def _repo(self, user: User, project_id: str, need: Access) -> GitRepo:
        return self.projects.repo(self.projects.open(user, project_id, need).project)

    def all(self, user: User, project_id: str) -> list[StoredAsset]:
        return list_assets(self._repo(user, project_id, Access.READ).root)

    def get(self, user: User, project_id: str, asset_id: str) -> StoredAsset:
        return find_asset(self._repo(user, project_id, Access.READ).root, asset_id)

    def create(
        self, user: User, project_id: str, kind: AssetKind, name: str, trigger_word: str, description: str
    ) -> StoredAsset:
        repo = self._repo(user, project_id, Access.WRITE)
        name, trigger_word = _checked_name(name), _checked_trigger(trigger_word)
        asset = _document(
            uuid=str(uuid.uuid4()),
            kind=kind,
            name=name,
            trigger_word=trigger_word,
            description=description,
            created_at=utcnow(),
            reference_images=[],
            versions=[],
        )
        with repo.lock():
            _require_unique(repo, name, trigger_word)
            stored = StoredAsset(asset, folder_of(kind, name))
            if (repo.root / stored.folder).exists():
                raise DuplicateNameError(
                    f"The project already has a folder '{stored.folder}'; choose another name.", field="name"
                )
            try:
                write_document(repo.root, stored)
                repo.commit([stored.folder], f"asset: create {kind.value} '{name}'", studio_author(user.username))
            except BaseException:
                shutil.rmtree(repo.root / stored.folder, ignore_errors=True)
                repo.run("reset", "--quiet", "--", stored.folder)
                raise
        return stored

    def update(self, user: User, project_id: str, asset_id: str, changes: AssetChanges) -> StoredAsset:
        """The folder keeps the name it was created with: takes and sidecars name files inside it."""
        repo = self._repo(user, project_id, Access.WRITE)
        with repo.lock():
            stored = find_asset(repo.root, asset_id)
            asset = stored.asset
            fields = asset.model_dump()
            if changes.name is not None:
                fields["name"] = _checked_name(changes.name)
            if changes.trigger_word is not None:
                fields["trigger_word"] = _checked_trigger(changes.trigger_word)
            if changes.description is not None:
                fields["description"] = changes.description
            _require_unique(repo, fields["name"], fields["trigger_word"], besides=asset_id)
            if changes.captions is not None:
                fields["reference_images"] = _captioned(asset.reference_images, changes.captions)
            changed = StoredAsset(_document(**fields), stored.folder)
            self._commit(repo, user, changed, [changed.document], f"asset: update '{changed.asset.name}'")
        return changed

    def delete(self, user: User, project_id: str, asset_id: str) -> None:
        repo = self._repo(user, project_id, Access.WRITE)
        with repo.lock():
            stored = find_asset(repo.root, asset_id)
            shutil.rmtree(existing_folder(repo.root, stored.folder, field="asset_id"))  # `add --all` stages it
            repo.commit([stored.folder], f"asset: delete '{stored.asset.name}'", studio_author(user.username))

    def add_images(self, user: User, project_id: str, asset_id: str, spools: Sequence[UploadSpool]) -> StoredAsset:
        """Reference images, each decoded and checked like any upload, committed together with asset.json; an
        image the asset already has (same content) is kept once. Nothing is kept when one of them is refused."""
        repo = self._repo(user, project_id, Access.WRITE)
        if not spools:
            raise InvalidInputError("The request holds no image; send one or more image files.", field="files")
        checked = [(spool, _verified_image(spool)) for spool in spools]
        with repo.lock():
            stored = find_asset(repo.root, asset_id)
            images = list(stored.asset.reference_images)
            placed: list[str] = []
            try:
                for spool, sha256 in checked:
                    if any(image.sha256 == sha256 for image in images):
                        continue
                    relative = f"{REFS_DIR}/{spool.name.file_name_for(sha256)}"
                    path = stored.path(relative)
                    require_lfs(repo, path)
                    target = new_file(repo.root, path, folder=ASSETS_DIR)  # the one resolver, used once
                    if place(spool.path, target, path, sha256, spool.size):
                        placed.append(path)
                    video = probe(target).video
                    assert video is not None, "a verified image has a picture"
                    images.append(ReferenceImage(file=relative, sha256=sha256, width=video.width, height=video.height))
                changed = StoredAsset(
                    _document(**{**stored.asset.model_dump(), "reference_images": images}), stored.folder
                )
                self._commit(
                    repo, user, changed, [changed.document, *placed], f"asset: add images to '{changed.asset.name}'"
                )
            except BaseException:
                for path in placed:
                    withdraw(repo, path, ASSETS_DIR)
                raise
        return changed

    def remove_image(self, user: User, project_id: str, asset_id: str, file: str) -> StoredAsset:
        repo = self._repo(user, project_id, Access.WRITE)
        with repo.lock():
            stored = find_asset(repo.root, asset_id)
            kept = [image for image in stored.asset.reference_images if image.file != file]
            if len(kept) == len(stored.asset.reference_images):
                raise FileNotInProjectError(
                    f"Asset '{stored.asset.name}' has no reference image '{file[:200]}'.", field="file"
                )
            changed = StoredAsset(_document(**{**stored.asset.model_dump(), "reference_images": kept}), stored.folder)
            path = stored.path(file)
            new_file(repo.root, path, folder=ASSETS_DIR, field="file").unlink(missing_ok=True)
            self._commit(
                repo, user, changed, [changed.document, path], f"asset: remove {file} from '{changed.asset.name}'"
            )
        return changed

    def promote(self, user: User, project_id: str, asset_id: str) -> Path:
        repo = self._repo(user, project_id, Access.WRITE)
        with repo.lock():
            return promote(self.projects.settings.library_dir, repo.root, find_asset(repo.root, asset_id))

    def library(self, user: User, project_id: str) -> list[StoredAsset]:
        """The workspace Library's assets, shared by every project; listed for a project its user may read."""
        self.projects.open(user, project_id, Access.READ)
        return library_assets(self.projects.settings.library_dir)

    def library_thumbnail(self, user: User, project_id: str, asset_id: str) -> Path:
        """The thumbnail of a Library asset, for a project its user may read (as the listing)."""
        self.projects.open(user, project_id, Access.READ)
        settings = self.projects.settings
        stored = find_library_asset(settings.library_dir, asset_id)
        return library_thumbnail(settings.library_dir, settings.state_dir / LIBRARY_THUMBNAILS_DIR, stored)

    def import_from_library(self, user: User, project_id: str, asset_id: str) -> StoredAsset:
        """Copy a promoted asset (its document, images and trained versions) into the project as one commit; its
        name and trigger word must be free there."""
        repo = self._repo(user, project_id, Access.WRITE)
        library = self.projects.settings.library_dir
        source = find_library_asset(library, asset_id)
        with repo.lock():
            if any(other.asset.uuid == asset_id for other in list_assets(repo.root)):
                raise DuplicateNameError(
                    f"The project already has '{source.asset.name}' (the same asset); use it from the panel.",
                    field="asset_id",
                )
            change = f"change it in this project's Asset Manager, then import '{source.asset.name}' again"
            _require_unique(repo, source.asset.name, source.asset.trigger_word, fix=change)
            return copy_into(library, source, repo, studio_author(user.username))

    def _commit(self, repo: GitRepo, user: User, stored: StoredAsset, paths: list[str], message: str) -> None:
        write_document(repo.root, stored)
        repo.commit(paths, message, studio_author(user.username))


def _document(**fields: object) -> Asset:
    try:
        return Asset.model_validate({"schema_version": 1, **fields})
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise InvalidInputError(f"The asset's {where} is not valid: {error['msg']}.", field=where) from exc


def _checked_name(name: str) -> str:
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise InvalidInputError(f"'{name[:100]}' cannot name an asset; use {NAME_RULE}.", field="name")
    return name


def _checked_trigger(word: str) -> str:
    word = word.strip()
    if not _TRIGGER.fullmatch(word):
        raise InvalidInputError(
            f"'{word[:100]}' cannot be a trigger word; use {TRIGGER_RULE} (e.g. 'sks_mara').", field="trigger_word"
        )
    return word


def _require_unique(
    repo: GitRepo, name: str, trigger_word: str, besides: str | None = None, fix: str | None = None
) -> None:
    """Names and trigger words are unique in the project whatever their case (a prompt's trigger must name one
    asset only); `fix` says what to do instead of choosing another name or word."""
    for other in list_assets(repo.root):
        if other.asset.uuid == besides:
            continue
        if other.asset.name.lower() == name.lower():
            raise DuplicateNameError(
                f"The project already has an asset named '{other.asset.name}'; {fix or 'choose another name'}.",
                field="name",
            )
        if other.asset.trigger_word.lower() == trigger_word.lower():
            raise DuplicateNameError(
                f"The trigger word '{trigger_word}' is already used by '{other.asset.name}'; "
                f"{fix or 'choose another one'}.",
                field="trigger_word",
            )


def _captioned(images: Sequence[ReferenceImage], captions: dict[str, str]) -> list[ReferenceImage]:
    unknown = sorted(set(captions) - {image.file for image in images})
    if unknown:
        raise InvalidInputError(
            f"The asset has no reference image {unknown[0][:200]!r}; caption one of its images.", field="captions"
        )
    return [
        image.model_copy(update={"caption": captions[image.file] or None}) if image.file in captions else image
        for image in images
    ]


def _verified_image(spool: UploadSpool) -> str:
    if spool.name.kind is not MediaKind.image:
        raise UnsupportedMediaTypeError(
            f"'{spool.name.original}' is not an image; send reference images as "
            f"{', '.join(extensions_of(MediaKind.image))}.",
            field="files",
        )
    return verified(spool)
