"""The Git LFS startup check (PRD §3.2): without LFS no project may be created or opened."""

from __future__ import annotations

import platform
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from server.errors import GitLfsMissingError


def install_command() -> str:
    """The command that installs git-lfs on this platform."""
    system = platform.system()
    if system == "Darwin":
        return "brew install git-lfs && git lfs install"
    if system == "Windows":
        return "winget install GitHub.GitLFS && git lfs install"
    os_release = Path("/etc/os-release")
    ids = os_release.read_text(encoding="utf-8").lower() if os_release.exists() else ""
    if any(name in ids for name in ("fedora", "rhel", "centos", "rocky", "alma")):
        return "sudo dnf install git-lfs && git lfs install"
    if "arch" in ids:
        return "sudo pacman -S git-lfs && git lfs install"
    if "suse" in ids:
        return "sudo zypper install git-lfs && git lfs install"
    return "sudo apt-get install git-lfs && git lfs install"


@dataclass(frozen=True)
class GitLfsStatus:
    available: bool
    version: str | None
    message: str

    def require(self) -> None:
        if not self.available:
            raise GitLfsMissingError(self.message)


def check_git_lfs() -> GitLfsStatus:
    if shutil.which("git") is None:
        return GitLfsStatus(False, None, "git is not installed. Install git and git-lfs, then restart the studio.")
    try:
        done = subprocess.run(["git", "lfs", "version"], capture_output=True, text=True, timeout=20, check=False)
    except subprocess.TimeoutExpired:
        done = None
    if done is None or done.returncode != 0:
        return GitLfsStatus(
            False,
            None,
            "Git LFS is not installed, so the studio refuses to create or open projects (their media would "
            f"be committed into plain git). Install it with `{install_command()}`, then restart the studio.",
        )
    version = done.stdout.strip()
    return GitLfsStatus(True, version, f"{version} is installed.")
